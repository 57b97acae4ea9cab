#include "props/device_commands.h"

#include <algorithm>

#include "props/boundary_draws.h"

namespace iovacheck {

ResetDevice::ResetDevice(const GenState& s) {
  RC_PRE(!s.strict || (s.sections.empty() && s.buffers.empty() && s.iommu.empty()));
}

void ResetDevice::checkPreconditions(const GenState& s) const {
  RC_PRE(!s.strict || (s.sections.empty() && s.buffers.empty() && s.iommu.empty()));
}

std::vector<Event> ResetDevice::Events() const { return {DeviceResetEvent{}}; }

SwitchShadowData::SwitchShadowData(const GenState& s) : enable_(!s.shadow) {
  RC_PRE(!s.config.viommu);  // shadow data is refused under a vIOMMU
  // vhost_vdpa_dev_start(false) usually resets the device on the way.
  reset_ = *rc::gen::weightedElement<bool>({{3, true}, {1, false}});
}

void SwitchShadowData::checkPreconditions(const GenState& s) const {
  RC_PRE(!s.config.viommu);
}

void SwitchShadowData::run(const GenState& state, Harness& harness) const {
  Feed(EventsIn(state), harness);
}

void SwitchShadowData::apply(GenState& s) const {
  if (s.shadow == enable_) return;
  s.buffers.clear();
  s.shadow = enable_;
}

void SwitchShadowData::show(std::ostream& os) const {
  os << "\n    (shadow data " << (enable_ ? "on" : "off")
     << " unless already so: every section deleted and added back around the switch"
     << (reset_ ? ", the device reset" : "") << ")";
}

std::vector<Event> SwitchShadowData::EventsIn(const GenState& s) const {
  std::vector<Event> events;
  if (s.shadow == enable_) return events;
  if (!s.sections.empty()) {
    events.push_back(ListenerBeginEvent{});
    for (const Section& x : s.sections) events.push_back(RegionDelEvent{x});
    events.push_back(ListenerCommitEvent{});
  }
  for (const HostBuffer& b : s.buffers) events.push_back(HostUnmapEvent{b.hva, b.size, b.asid});
  if (reset_) events.push_back(DeviceResetEvent{});
  events.push_back(ShadowDataEvent{enable_});
  if (!s.sections.empty()) {
    events.push_back(ListenerBeginEvent{});
    for (const Section& x : s.sections) events.push_back(RegionAddEvent{x});
    events.push_back(ListenerCommitEvent{});
  }
  return events;
}

namespace {

// First byte, last byte, one before, one past: those that exist in 64 bits.
void AddEdgesOf(uint64_t start, uint64_t size, std::vector<uint64_t>* out) {
  const uint64_t last = start + (size - 1);
  out->push_back(start);
  out->push_back(last);
  if (start != 0) out->push_back(start - 1);
  if (last != ~uint64_t{0}) out->push_back(last + 1);
}

}  // namespace

DeviceDma::DeviceDma(const GenState& s) {
  const DeviceConfig& c = s.config;
  const uint64_t page = c.page_size;
  std::vector<uint64_t> edges;
  AddEdgesOf(c.iova_first, c.iova_last - c.iova_first + 1, &edges);
  edges.push_back(~uint64_t{0});
  if (!s.shadow && !c.viommu) {
    for (const Section& x : s.sections) AddEdgesOf(x.gpa, x.size, &edges);
  }
  for (const GenIommuEntry& e : s.iommu) AddEdgesOf(e.giova, e.size, &edges);
  dma_.asid = c.num_as > 1 ? *rc::gen::inRange<uint32_t>(0, 2) : 0;
  dma_.iova = DrawEdgeOr(edges, *rc::gen::inRange<uint64_t>(0, 300 * page));
  // Lengths at their own edges, never past 2^64 (the harness refuses a wrap).
  const uint64_t room = ~uint64_t{0} - dma_.iova + 1;  // 0 means 2^64
  dma_.len = DrawLength(2 * page, page);
  if (room != 0) dma_.len = std::min(dma_.len, room);
  dma_.device_writes = *rc::gen::arbitrary<bool>();
}

}  // namespace iovacheck
