// A stand-in for the vhost-vdpa fd that QEMU's plug-ins write to: it records
// every IOTLB message and log line, and accepts every message (or refuses
// the next one with a chosen errno). For the plug-in tests of this folder,
// which assert what QEMU's own code sends.
#ifndef IOVACHECK_THIRD_PARTY_QEMU_FAKE_VHOST_DEVICE_H_
#define IOVACHECK_THIRD_PARTY_QEMU_FAKE_VHOST_DEVICE_H_

#include <dlfcn.h>
// The legacy vring helpers in <linux/virtio_ring.h> are C, not C++.
#define VIRTIO_RING_NO_LEGACY
#include <linux/vhost_types.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "translator/plugin/iovacheck_plugin.h"

namespace iovacheck_qemu_test {

struct Msg {
  uint32_t asid;
  uint8_t type;
  uint64_t iova, size, uaddr;
  uint8_t perm;
};

struct FakeDevice {
  std::vector<Msg> msgs;
  std::vector<std::string> log;
  long fail_with = 0;     // -errno for the next write, once
  long fail_updates = 0;  // -errno for every UPDATE, as a device out of range

  // The log, a line each, for a failure message.
  std::string Log() const {
    std::string s;
    for (const auto& l : log) s += l + "\n";
    return s;
  }
};

// iovacheck_host::device_write. Only vhost_msg_v2 (the plug-ins' tests ack
// IOTLB_MSG_V2); anything else is a malformed write.
inline long DeviceWrite(void* ctx, const void* buf, size_t len) {
  auto* dev = static_cast<FakeDevice*>(ctx);
  if (len != sizeof(vhost_msg_v2)) return -EINVAL;
  vhost_msg_v2 m;
  std::memcpy(&m, buf, sizeof(m));
  if (m.type != VHOST_IOTLB_MSG_V2) return -EINVAL;
  dev->msgs.push_back({m.asid, m.iotlb.type, m.iotlb.iova, m.iotlb.size, m.iotlb.uaddr,
                       m.iotlb.perm});
  if (dev->fail_updates && m.iotlb.type == VHOST_IOTLB_UPDATE) return dev->fail_updates;
  if (dev->fail_with) {
    long r = dev->fail_with;
    dev->fail_with = 0;
    return r;
  }
  return static_cast<long>(len);
}

inline void LogLine(void* ctx, const char* line) {
  static_cast<FakeDevice*>(ctx)->log.push_back(line);
}

inline iovacheck_host HostFor(FakeDevice* dev) { return iovacheck_host{dev, DeviceWrite, LogLine}; }

// The plug-in table of the shared object at `path`, or null with *error set.
// The handle stays open for the process's life, as the registry keeps it.
inline const iovacheck_plugin* LoadPlugin(const std::string& path, std::string* error) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    *error = dlerror();
    return nullptr;
  }
  auto entry =
      reinterpret_cast<iovacheck_plugin_entry_fn>(dlsym(handle, IOVACHECK_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    *error = dlerror();
    return nullptr;
  }
  return entry();
}

}  // namespace iovacheck_qemu_test

#endif  // IOVACHECK_THIRD_PARTY_QEMU_FAKE_VHOST_DEVICE_H_
