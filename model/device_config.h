// What a vhost-vdpa backend advertises: IOVA range, host page size, acked
// backend features, and how the parent driver takes mappings.
#ifndef IOVACHECK_MODEL_DEVICE_CONFIG_H_
#define IOVACHECK_MODEL_DEVICE_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace iovacheck {

// VHOST_BACKEND_F_* bit numbers.
inline constexpr int kFeatureIotlbMsgV2 = 1;
inline constexpr int kFeatureIotlbBatch = 2;
inline constexpr int kFeatureIotlbAsid = 3;
inline constexpr int kFeatureIotlbPersist = 8;

enum class DeviceKind {
  kDmaMap,  // no on-chip IOMMU: incremental map/unmap per message
  kSetMap,  // on-chip IOMMU: takes the whole table (at BATCH_END in a batch)
};

// Which kernel's behaviour the emulation follows where versions differ
// (devices/device_registry.h's linux-* devices run the real thing).
enum class KernelProfile {
  // The emulation as first written from the description, kept so that old
  // regression cases can name it: a reset ends a batch and empties the
  // parent's table, no passthrough, no memory map, DMA checks permissions
  // before wrapping.
  kDescribed,
  kLinux612,  // 6.12 (default): vdpa_sim's parent starts in, and returns to
              // after a reset without IOTLB_PERSIST, an identity passthrough
  kLinux61,   // 6.1: a reset empties the parent's table; no passthrough
};

// One area (VMA) of the device owner's memory map, as the kernel resolves
// user addresses in it: find_vma in VA mode, pin_user_pages in PA mode.
struct ProcessArea {
  uint64_t start = 0;  // [start, end), page aligned
  uint64_t end = 0;
  bool writable = true;  // PA mode: read-only pages cannot be pinned for a device write
  bool shared = true;    // a MAP_SHARED file or memfd: VA mode maps only these
  bool operator==(const ProcessArea& o) const {
    return start == o.start && end == o.end && writable == o.writable && shared == o.shared;
  }
};

// One shared writable area from the first page a process may map
// (mmap_min_addr) to x86-64's TASK_SIZE.
std::vector<ProcessArea> DefaultProcessMap();

struct DeviceConfig {
  uint64_t iova_first = 0;           // VHOST_VDPA_GET_IOVA_RANGE first
  uint64_t iova_last = ~uint64_t{0};  // ... and last (inclusive)
  // The host's page (qemu_real_host_page_size()): SVQ rings, the CVQ buffer
  // and the lowest allocatable IOVA are rounded to it.
  uint64_t page_size = 4096;
  // The guest's page (qemu_target_page_size()): the memory listener aligns
  // and rounds sections to it. aarch64 and ppc64 hosts run 64 KiB pages
  // under 4 KiB guests, so the two differ.
  uint64_t target_page_size = 4096;
  uint64_t backend_features = (uint64_t{1} << kFeatureIotlbMsgV2) |
                              (uint64_t{1} << kFeatureIotlbBatch) |
                              (uint64_t{1} << kFeatureIotlbAsid);
  DeviceKind kind = DeviceKind::kDmaMap;
  uint32_t num_as = 2;  // address spaces the device has (ASIDs 0..num_as-1)
  // The device DMAs through a guest IOMMU: guest IOVAs, reached only through
  // the IOMMU notifier; shadow virtqueues are refused.
  bool viommu = false;
  // Which device implementation runs (devices/device_registry.h): "emulated",
  // "linux-6.1" or "linux-6.12".
  std::string device = "emulated";
  KernelProfile profile = KernelProfile::kLinux612;
  // The device owner's memory map, sorted and disjoint: by default
  // DefaultProcessMap(), as QEMU's memfd guest RAM and SVQ rings see it.
  // An UPDATE whose uaddr range leaves it is refused.
  std::vector<ProcessArea> process_map = DefaultProcessMap();
  // The max_iotlb_entries module parameters (vhost_vdpa's per address space
  // in 6.12, vdpa_sim's per parent table): the next UPDATE of a full
  // address space is refused with ENOSPC. 6.1 has no such limit.
  uint32_t max_iotlb_entries = 2048;

  // Whether the device refuses an UPDATE to an address space holding
  // max_iotlb_entries entries (Linux 6.12, and the emulation following it).
  bool LimitsEntries() const {
    return device == "linux-6.12" ||
           (device == "emulated" && profile == KernelProfile::kLinux612);
  }

  bool Has(int feature_bit) const {
    return (backend_features >> feature_bit) & 1;
  }
  uint64_t page_mask() const { return ~(page_size - 1); }
  uint64_t target_page_mask() const { return ~(target_page_size - 1); }
};

std::string DeviceConfigToString(const DeviceConfig& config);

// "v2,batch,asid,persist" (unknown bits as "bitN"; "none" for 0).
std::string FeaturesToString(uint64_t features);
// The inverse for the four known names, comma-separated; "all" is every one
// of them, "none" none. InvalidArgument naming the first unknown name.
absl::StatusOr<uint64_t> ParseFeatures(const std::string& text);
inline constexpr uint64_t kAllFeatures =
    (uint64_t{1} << kFeatureIotlbMsgV2) | (uint64_t{1} << kFeatureIotlbBatch) |
    (uint64_t{1} << kFeatureIotlbAsid) | (uint64_t{1} << kFeatureIotlbPersist);

// Every name DeviceConfig::device takes, as --device and a trace's header
// name them: "emulated" (the default), "linux-6.1", "linux-6.12"
// (devices/device_registry.h makes them).
const std::vector<std::string>& DeviceNames();

// OK when `name` is a device name; InvalidArgument naming the choices.
absl::Status CheckDeviceName(const std::string& name);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_DEVICE_CONFIG_H_
