// The child process side of devices/isolated_kernel_device.h: opens the
// device with the kernel code its parent loaded and serves calls until the
// parent goes away. Whatever the kernel's code does (a NULL dereference, an
// endless loop) happens here, where it can only end this process.
#ifndef IOVACHECK_DEVICES_KERNEL_DEVICE_CHILD_H_
#define IOVACHECK_DEVICES_KERNEL_DEVICE_CHILD_H_

#include <string>

#include "devices/kernel_device.h"
#include "model/device_config.h"

namespace iovacheck {

[[noreturn]] void ServeKernelDevice(int fd, const KernelApi* api, const std::string& version,
                                    const DeviceConfig& config);

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICES_KERNEL_DEVICE_CHILD_H_
