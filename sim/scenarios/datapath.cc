#include "sim/scenarios/datapath.h"

#include <algorithm>
#include <iterator>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kMaxLen = 0x10000;  // one element: up to 64 KiB

// A range of guest addresses (GPA, or guest IOVA under a vIOMMU).
struct Range {
  uint64_t start = 0;
  uint64_t len = 0;
};

Range Inside(SplitMix64& prng, uint64_t start, uint64_t size) {
  const uint64_t offset = prng.Below(size);
  return {start + offset, prng.InRange(1, std::min(size - offset, kMaxLen))};
}

// Ends past [start, start + size): into whatever follows (a gap, another
// mapping, a section the listener skips).
Range AcrossEnd(SplitMix64& prng, uint64_t start, uint64_t size) {
  const uint64_t before = prng.InRange(1, std::min<uint64_t>(size, 0x1000));
  return {start + size - before, before + prng.InRange(1, 0x1000)};
}

Range Anywhere(SplitMix64& prng, uint64_t limit) {
  return {prng.Below(limit), prng.InRange(1, 0x2000)};
}

// GPA ranges: mostly inside live sections (RAM or not: the model knows
// which are mapped), some across a section's end, some into the SMRAM
// alias, some wherever. A well-formed range stays inside a RAM section.
Range GuestRange(SplitMix64& prng, const World& world, bool well_formed) {
  const std::vector<Section>& live = world.live;
  std::vector<const Section*> ram;
  for (const Section& s : live) {
    if (s.ram) ram.push_back(&s);
  }
  if (well_formed && !ram.empty()) {
    const Section& s = *ram[prng.Below(ram.size())];
    return Inside(prng, s.gpa, s.size);
  }
  const uint64_t roll = prng.Below(100);
  if (!live.empty() && roll < 80) {
    const Section* s = &live[prng.Below(live.size())];
    if (!s->ram && !ram.empty() && prng.Percent(60)) s = ram[prng.Below(ram.size())];
    if (roll < 12) {
      auto alias = std::find_if(live.begin(), live.end(), [](const Section& x) {
        return x.name.rfind("smram-open-high", 0) == 0;
      });
      if (alias != live.end()) s = &*alias;
    }
    if (roll < 62) return Inside(prng, s->gpa, s->size);
    return AcrossEnd(prng, s->gpa, s->size);
  }
  return Anywhere(prng, uint64_t{1} << 36);
}

Iovec GuestIovec(SplitMix64& prng, const World& world, bool well_formed) {
  const Range r = GuestRange(prng, world, well_formed);
  Iovec v;
  v.has_gpa = true;
  v.gpa = r.start;
  v.len = r.len;
  v.device_writes = prng.Percent(50);
  // The HVA QEMU mapped the element at, where the GPA is guest RAM.
  if (const Section* s = world.SectionAt(v.gpa); s != nullptr && s->ram) {
    v.hva = s->hva + (v.gpa - s->gpa);
  }
  return v;
}

// Host-only memory by HVA (a shadow buffer has no GPA).
Iovec HostIovec(SplitMix64& prng, const World& world, bool well_formed) {
  std::vector<const HostBuffer*> buffers;
  for (const HostBuffer& b : world.vrings) buffers.push_back(&b);
  for (const HostBuffer& b : world.cvq) buffers.push_back(&b);
  const HostBuffer& b = *buffers[prng.Below(buffers.size())];
  const uint64_t page = world.config.page_size;
  const uint64_t extent = (b.size + page - 1) / page * page;
  const Range r = well_formed || prng.Percent(85) ? Inside(prng, b.hva, extent)
                                                  : AcrossEnd(prng, b.hva, extent);
  Iovec v;
  v.hva = r.start;
  v.len = r.len;
  v.device_writes = b.perm != kPermRO ? prng.Percent(70) : prng.Percent(10);
  return v;
}

// Half the buffers are well formed, so that the success path (the device
// lands where the guest means) is exercised as much as the refusals: one bad
// element refuses the whole buffer.
TranslateEvent Buffer(SplitMix64& prng, const World& world) {
  TranslateEvent t;
  const bool host = !world.vrings.empty() || !world.cvq.empty();
  const bool well_formed = prng.Percent(50);
  const uint64_t n = prng.InRange(1, 4);
  for (uint64_t i = 0; i < n; ++i) {
    t.iovecs.push_back(host && prng.Percent(12) ? HostIovec(prng, world, well_formed)
                                                : GuestIovec(prng, world, well_formed));
  }
  return t;
}

// Guest IOVA ranges: inside entries, across their ends, anywhere in range.
Range IommuRange(SplitMix64& prng, const World& world) {
  const uint64_t roll = prng.Below(100);
  if (!world.iommu.empty() && roll < 80) {
    auto it = world.iommu.begin();
    std::advance(it, prng.Below(world.iommu.size()));
    if (roll < 60) return Inside(prng, it->first, it->second.size);
    return AcrossEnd(prng, it->first, it->second.size);
  }
  const uint64_t first = world.config.iova_first;
  const uint64_t span =
      std::max<uint64_t>(1, std::min<uint64_t>(world.config.iova_last - first, uint64_t{1} << 32));
  Range r = Anywhere(prng, span);
  r.start += first;
  return r;
}

}  // namespace

bool DatapathPart::Ready(const World& world) const {
  return world.config.viommu ? !world.iommu.empty() || !world.live.empty()
                             : !world.live.empty();
}

void DatapathPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const size_t before = out->size();
  const uint64_t n = prng.InRange(1, 3);
  for (uint64_t i = 0; i < n; ++i) {
    if (world.shadow && !world.config.viommu) {
      out->push_back(Buffer(prng, world));
      continue;
    }
    const Range r = world.config.viommu ? IommuRange(prng, world)
                                        : GuestRange(prng, world, prng.Percent(40));
    if (r.start > ~uint64_t{0} - r.len) continue;  // would wrap past 2^64
    out->push_back(DeviceDmaEvent{0, r.start, r.len, prng.Percent(50)});
  }
  if (out->size() == before) out->push_back(DeviceDmaEvent{0, 0, 1, false});
}

}  // namespace scenarios
}  // namespace iovacheck
