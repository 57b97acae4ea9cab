// Linux's own code as the device, run in a child process of its own: the
// kernel's text may crash (a NULL dereference) or hang (a walk that never
// advances), and either must be a verdict with a trace, not the end of the
// run. One child per device (per seed, replay, shrink candidate), forked
// from a parent that has already loaded the kernel's shared object. The
// child answers each write and reset with the device's whole visible state,
// which the parent keeps for the oracle; a DMA is asked of the child.
#ifndef IOVACHECK_DEVICES_ISOLATED_KERNEL_DEVICE_H_
#define IOVACHECK_DEVICES_ISOLATED_KERNEL_DEVICE_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "devices/kernel_device_protocol.h"
#include "model/device.h"

namespace iovacheck {

struct DeviceIsolationLimits {
  // A call that has used this much CPU in the child without an answer is a
  // hang: CPU time, so that a loaded machine does not make a slow answer a
  // verdict.
  double cpu_seconds = 10;
  // A child that blocks uses no CPU: after this much waiting, a hang too.
  double wall_seconds = 120;
};

// The limits every isolated kernel device uses (set from the command line).
DeviceIsolationLimits& KernelDeviceLimits();

class IsolatedKernelDevice : public Device {
 public:
  // version "6.1" or "6.12". Fails when the version cannot be loaded or the
  // kernel refuses the device; a child that dies while opening is a device
  // that is dead from the start.
  static absl::StatusOr<std::unique_ptr<IsolatedKernelDevice>> Open(const std::string& version,
                                                                    const DeviceConfig& config);
  ~IsolatedKernelDevice() override;

  WriteResult Write(const IotlbMsg& msg) override;
  void Reset() override;
  void Reopen() override;
  int Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
          std::vector<DmaSegment>* out) const override;
  const IntervalTable* vhost_table(uint32_t asid) const override;
  const IntervalTable* device_table(uint32_t asid) const override;
  std::vector<uint32_t> asids() const override;
  bool parent_default(uint32_t asid) const override;
  bool in_batch() const override { return state_.in_batch; }
  uint32_t batch_asid() const override { return state_.batch_asid; }
  const DeviceConfig& config() const override { return config_; }
  std::optional<DeviceDeath> death() const override { return death_; }

  // Tests of the isolation: the kernel's next allocation crashes (1) or
  // hangs (2) (kdev_misbehave_next_allocation).
  void MisbehaveNextAllocation(int how);

 private:
  IsolatedKernelDevice(const std::string& version, const DeviceConfig& config)
      : version_(version), config_(config) {}

  // Sends a call and waits for its answer; nullopt once the child is dead
  // (death_ then says how, during `what`).
  std::optional<std::string> Call(const std::string& call, const std::string& what) const;
  bool Receive(std::string* frame) const;
  // A call whose answer is the device's state (reset, reopen).
  void CallForState(uint8_t op, const std::string& what);
  void Die(bool hang, const std::string& detail, const std::string& what) const;

  std::string version_;
  DeviceConfig config_;
  pid_t pid_ = -1;
  int fd_ = -1;
  mutable bool reaped_ = false;
  mutable std::optional<DeviceDeath> death_;
  kernel_protocol::State state_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICES_ISOLATED_KERNEL_DEVICE_H_
