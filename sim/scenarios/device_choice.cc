#include "sim/scenarios/device_choice.h"

namespace iovacheck {
namespace scenarios {
namespace {

uint64_t Bit(int feature) { return uint64_t{1} << feature; }

}  // namespace

DeviceConfig ChooseDeviceConfig(SplitMix64& prng, bool viommu) {
  DeviceConfig c;
  c.kind = prng.Percent(50) ? DeviceKind::kDmaMap : DeviceKind::kSetMap;
  c.backend_features = 0;
  const bool v2 = prng.Percent(85);
  if (v2) c.backend_features |= Bit(kFeatureIotlbMsgV2);
  if (prng.Percent(70)) c.backend_features |= Bit(kFeatureIotlbBatch);
  if (prng.Percent(v2 ? 70 : 15)) c.backend_features |= Bit(kFeatureIotlbAsid);
  if (prng.Percent(35)) c.backend_features |= Bit(kFeatureIotlbPersist);
  const uint64_t as = prng.Below(10);
  c.num_as = as < 2 ? 1 : as < 8 ? 2 : 3;
  c.page_size = prng.Percent(90) ? 0x1000 : 0x10000;
  c.target_page_size = c.page_size;
  if (c.page_size == 0x10000) {
    // A 64 KiB host (aarch64, ppc64) mostly runs 4 KiB guests: QEMU then
    // maps the guest's sections at 4 KiB granularity (qemu_target_page_size)
    // while its rings, CVQ buffers and IOVA floor stay in host pages. Drawn
    // from a stream of its own, seeded by a copy of the main one: every
    // seed's events stay what they were; only the guest page is new.
    SplitMix64 copy = prng;
    SplitMix64 guest(copy.Next() ^ 0x67756573742d7067);  // "guest-pg"
    if (guest.Percent(75)) c.target_page_size = 0x1000;
  }

  const uint64_t first = prng.Below(100);
  c.iova_first = first < 75 ? 0 : first < 90 ? c.page_size : 0x100000;
  const uint64_t last = prng.Below(100);
  c.iova_last = last < 45   ? ~uint64_t{0}
                : last < 70 ? (uint64_t{1} << 48) - 1
                : last < 85 ? (uint64_t{1} << 39) - 1
                : last < 95 ? (uint64_t{1} << 36) - 1
                            : (uint64_t{1} << 32) - 1;
  c.viommu = viommu;
  return c;
}

}  // namespace scenarios
}  // namespace iovacheck
