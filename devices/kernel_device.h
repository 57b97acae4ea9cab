// Linux's own vhost-vdpa code as the device: third_party/linux's kdev (the
// kernel's message path over vdpa_sim, cut from Debian's linux-source) behind
// the Device interface. The kernel's two tables are mirrored into
// IntervalTables after every call so the oracle reads them like the
// emulation's.
#ifndef IOVACHECK_DEVICES_KERNEL_DEVICE_H_
#define IOVACHECK_DEVICES_KERNEL_DEVICE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/device.h"

namespace iovacheck {

// The kernel's C entry points of one version (kdev.h, compiled per version).
struct KernelApi;

class KernelDevice : public Device {
 public:
  // version: "6.1" or "6.12". Fails when the kernel refuses the device
  // (vdpasim_create) or the version is not built in.
  static absl::StatusOr<std::unique_ptr<KernelDevice>> Open(const std::string& version,
                                                            const DeviceConfig& config);
  // The two halves of Open: loading the version's shared object (once per
  // process), and opening a device with it. A child process forked to run
  // the kernel's code opens with what its parent loaded: no dlopen, and no
  // lock another of the parent's threads may have held at the fork.
  static absl::StatusOr<const KernelApi*> Load(const std::string& version);
  static absl::StatusOr<std::unique_ptr<KernelDevice>> OpenLoaded(const KernelApi* api,
                                                                  const std::string& version,
                                                                  const DeviceConfig& config);
  ~KernelDevice() override;

  WriteResult Write(const IotlbMsg& msg) override;
  void Reset() override;
  void Reopen() override;
  int Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
          std::vector<DmaSegment>* out) const override;
  const IntervalTable* vhost_table(uint32_t asid) const override;
  const IntervalTable* device_table(uint32_t asid) const override;
  std::vector<uint32_t> asids() const override;
  bool parent_default(uint32_t asid) const override;
  bool in_batch() const override;
  uint32_t batch_asid() const override;
  const DeviceConfig& config() const override { return config_; }

  // The backend features the kernel acked of those the config asked for.
  uint64_t acked_features() const;

  // For tests of the isolation (kdev_misbehave_next_allocation): the next
  // kernel allocation crashes (1) or hangs (2). Only ever in a child.
  void MisbehaveNextAllocation(int how);

  // The bytes of one write() as userspace lays them out: struct vhost_msg
  // (v1) or struct vhost_msg_v2, from include/uapi/linux/vhost_types.h.
  static std::vector<uint8_t> Encode(const IotlbMsg& msg);

 private:
  KernelDevice(const KernelApi* api, void* kdev, const DeviceConfig& config);
  void Mirror();

  const KernelApi* api_;
  void* kdev_;  // struct kdev*
  DeviceConfig config_;
  std::map<uint32_t, IntervalTable> vhost_;   // created address spaces
  std::map<uint32_t, IntervalTable> parent_;  // every asid < num_as
};

// The kernel versions built into this binary ("6.1", "6.12").
std::vector<std::string> KernelVersions();

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICES_KERNEL_DEVICE_H_
