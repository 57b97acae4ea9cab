#include "sim/scenarios/svq_lifecycle.h"

#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"
#include "sim/scenarios/cvq.h"

namespace iovacheck {
namespace scenarios {
namespace {

// Split virtqueue layout: 16-byte descriptors and the avail ring (flags,
// idx, N entries, used_event) in the driver area; the used ring (flags, idx,
// N 8-byte entries, avail_event) in the device area.
uint64_t DriverAreaSize(uint64_t n) { return 16 * n + 6 + 2 * n; }
uint64_t DeviceAreaSize(uint64_t n) { return 6 + 8 * n; }

void MapVrings(SplitMix64& prng, World& world, std::vector<Event>* out) {
  if (!world.shadow || !world.vrings.empty()) return;
  for (uint32_t q = 0; q < world.data_queues; ++q) {
    for (int area = 0; area < 2; ++area) {
      HostBuffer b;
      b.hva = world.arena.Take(prng);
      if (b.hva == 0) return;
      b.size = area == 0 ? DriverAreaSize(world.queue_size) : DeviceAreaSize(world.queue_size);
      b.perm = area == 0 ? kPermRO : kPermRW;
      b.asid = 0;
      b.name = absl::StrFormat("svq%u-%s", q, area == 0 ? "driver" : "device");
      world.vrings.push_back(b);
      out->push_back(HostMapEvent{b});
    }
  }
}

}  // namespace

void StartDevice(SplitMix64& prng, World& world, std::vector<Event>* out) {
  if (world.config.viommu) return;  // SVQ is refused with a vIOMMU
  MapVrings(prng, world, out);
  MapCvq(prng, world, out);
}

void StopDevice(World& world, std::vector<Event>* out) {
  for (const HostBuffer& b : world.vrings) {
    out->push_back(HostUnmapEvent{b.hva, b.size, b.asid});
    world.arena.Give(b.hva);
  }
  world.vrings.clear();
  UnmapCvq(world, out);
}

void SvqLifecyclePart::Reregister(World& world, const std::vector<Event>& between,
                                  std::vector<Event>* out) {
  if (!world.live.empty()) {
    out->push_back(ListenerBeginEvent{});
    for (const Section& s : world.live) out->push_back(RegionDelEvent{s});
    out->push_back(ListenerCommitEvent{});
  }
  out->insert(out->end(), between.begin(), between.end());
  if (!world.live.empty()) {
    out->push_back(ListenerBeginEvent{});
    for (const Section& s : world.live) out->push_back(RegionAddEvent{s});
    out->push_back(ListenerCommitEvent{});
  }
}

void SvqLifecyclePart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const uint64_t roll = prng.Below(100);
  StopDevice(world, out);
  if (roll < 40) {
    // SVQ on (migration starts) or off (it is cancelled or done); the device
    // is usually reset on the way, as vhost_vdpa_dev_start(false) does.
    std::vector<Event> between;
    if (prng.Percent(70)) between.push_back(DeviceResetEvent{});
    world.shadow = !world.shadow;
    between.push_back(ShadowDataEvent{world.shadow});
    Reregister(world, between, out);
  } else if (roll < 65) {
    // Restart with the listener re-registered around the reset.
    Reregister(world, {DeviceResetEvent{}}, out);
  } else if (roll < 85) {
    // Restart keeping the listener (IOTLB_PERSIST style).
    out->push_back(DeviceResetEvent{});
  }
  // else: the rings are only re-allocated (a queue reset).
  StartDevice(prng, world, out);
}

}  // namespace scenarios
}  // namespace iovacheck
