#include "sim/scenarios/cvq.h"

#include <algorithm>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace scenarios {
namespace {

bool CanShadowCvq(const World& world) {
  return world.has_cvq && !world.config.viommu &&
         (world.shadow || CvqIsolatable(world.config));
}

// A command the guest posted, as SVQ copies it into the shadow buffers:
// out (device reads) then status (device writes); now and then one that
// runs past the end of its buffer, which translation must refuse.
TranslateEvent Command(SplitMix64& prng, const World& world) {
  const HostBuffer& out = world.cvq[0];
  const HostBuffer& status = world.cvq[1];
  TranslateEvent t;
  Iovec cmd;
  cmd.hva = out.hva;
  cmd.len = prng.InRange(2, 64);
  if (prng.Percent(5)) {
    cmd.hva = out.hva + out.size - 8;
    cmd.len = 8 + prng.InRange(1, 64);
  }
  t.iovecs.push_back(cmd);
  Iovec ack;
  ack.hva = status.hva;
  ack.len = 1;
  ack.device_writes = true;
  t.iovecs.push_back(ack);
  return t;
}

}  // namespace

bool CvqIsolatable(const DeviceConfig& config) {
  return config.Has(kFeatureIotlbAsid) && config.Has(kFeatureIotlbMsgV2) &&
         config.num_as >= 2;
}

void MapCvq(SplitMix64& prng, World& world, std::vector<Event>* out) {
  if (!world.cvq.empty() || !CanShadowCvq(world)) return;
  const bool isolatable = CvqIsolatable(world.config);
  const uint32_t asid = !world.shadow || (isolatable && prng.Percent(50)) ? 1 : 0;
  const uint64_t hvas[2] = {world.arena.Take(prng), world.arena.Take(prng)};
  if (hvas[0] == 0 || hvas[1] == 0) {
    world.arena.Give(hvas[0]);
    world.arena.Give(hvas[1]);
    return;
  }
  for (int i = 0; i < 2; ++i) {
    HostBuffer b;
    b.hva = hvas[i];
    b.size = world.config.page_size;
    b.perm = i == 0 ? kPermRO : kPermRW;
    b.asid = asid;
    b.name = i == 0 ? "cvq-out" : "cvq-status";
    world.cvq.push_back(b);
    out->push_back(HostMapEvent{b});
  }
}

void UnmapCvq(World& world, std::vector<Event>* out) {
  for (const HostBuffer& b : world.cvq) {
    out->push_back(HostUnmapEvent{b.hva, b.size, b.asid});
    world.arena.Give(b.hva);
  }
  world.cvq.clear();
}

bool CvqPart::Ready(const World& world) const {
  return world.cvq.size() == 2 || CanShadowCvq(world);
}

void CvqPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  if (world.cvq.size() == 2 && prng.Percent(80)) {
    const uint64_t commands = prng.InRange(1, 3);
    for (uint64_t i = 0; i < commands; ++i) out->push_back(Command(prng, world));
    return;
  }
  UnmapCvq(world, out);
  MapCvq(prng, world, out);
}

}  // namespace scenarios
}  // namespace iovacheck
