#include "props/commands.h"

#include <algorithm>
#include <stdexcept>

#include "absl/strings/str_format.h"
#include "props/boundary_draws.h"
#include "props/device_commands.h"
#include "props/iommu_commands.h"

namespace iovacheck {

void EventCommand::run(const GenState&, Harness& harness) const { Feed(Events(), harness); }

void EventCommand::Feed(const std::vector<Event>& events, Harness& harness) {
  for (const Event& e : events) {
    absl::Status s = harness.Step(e);
    if (!s.ok()) {
      throw std::logic_error("generator produced input the model refuses: " +
                             s.ToString());
    }
    if (harness.failed()) return;
  }
}

void EventCommand::show(std::ostream& os) const {
  for (const Event& e : Events()) os << "\n    " << EventToString(e);
}

namespace {

// rc::gen::weightedElement takes only an initializer list; the options here
// depend on the state. Shrinks toward the first option.
template <typename T>
T PickWeighted(const std::vector<std::pair<uint32_t, T>>& options) {
  uint64_t total = 0;
  for (const auto& [weight, value] : options) total += weight;
  uint64_t pick = *rc::gen::inRange<uint64_t>(0, total);
  for (const auto& [weight, value] : options) {
    if (pick < weight) return value;
    pick -= weight;
  }
  return options.back().second;
}

uint64_t RoundUp(uint64_t x, uint64_t page) { return (x + page - 1) / page * page; }

// Slides gpa up in whole pages until [gpa, gpa+size) is free.
uint64_t FreeGpaFrom(const GenState& s, uint64_t gpa, uint64_t size) {
  const uint64_t page = s.config.target_page_size;
  bool moved = true;
  while (moved) {
    moved = false;
    for (const Section& x : s.sections) {
      if (!s.GpaFree(gpa, size) && x.gpa < gpa + size && gpa < x.gpa + x.size) {
        gpa = RoundUp(x.gpa + x.size, page) + gpa % page;
        moved = true;
      }
    }
  }
  return gpa;
}

enum class Shape { kFresh, kAlias, kNonRam, kSubPage, kMisaligned, kHigh, kEdge };

// A page-multiple section at an edge: starting at the device's iova_first,
// ending at its iova_last, or ending at the last byte of the 64-bit space
// (without shadow data GPA is IOVA, so these are the device's edges too).
// False when the chosen edge is taken or does not fit.
bool PlaceAtEdge(const GenState& s, Section* sec) {
  const DeviceConfig& c = s.config;
  const uint64_t page = c.target_page_size;
  std::vector<std::pair<uint64_t, uint64_t>> edges = {{0, c.iova_first}};  // (area, gpa)
  if (c.iova_last - c.iova_first >= sec->size - 1) {
    edges.push_back({1, c.iova_last - (sec->size - 1)});
  }
  edges.push_back({2, ~uint64_t{0} - (sec->size - 1)});
  const auto [area, gpa] = *rc::gen::elementOf(edges);
  if (!s.GpaFree(gpa, sec->size)) return false;
  sec->gpa = gpa;
  sec->hva = kEdgeHvaBase + area * kEdgeHvaArea + gpa % page;
  sec->name = absl::StrFormat("edge@0x%x", gpa);
  return true;
}

// Guest memory comes in the guest's pages; the host's may be larger.
Section NewSection(const GenState& s) {
  const uint64_t page = s.config.target_page_size;
  const uint64_t host_page = s.config.page_size;
  std::vector<Section> ram;
  for (const Section& x : s.sections) {
    if (x.ram) ram.push_back(x);
  }
  std::vector<std::pair<uint32_t, Shape>> shapes = {
      {6, Shape::kFresh},   {1, Shape::kNonRam},     {1, Shape::kSubPage},
      {1, Shape::kMisaligned}, {1, Shape::kHigh},  {2, Shape::kEdge}};
  if (!ram.empty()) shapes.push_back({7, Shape::kAlias});
  const Shape shape = PickWeighted(shapes);

  Section sec;
  sec.size = *rc::gen::inRange<uint64_t>(1, 17) * page;
  uint64_t gpa = *rc::gen::inRange<uint64_t>(0, 256) * page;
  if (shape == Shape::kHigh) gpa += kHighGpaBase;
  if (shape == Shape::kEdge && PlaceAtEdge(s, &sec)) {
    // placed
  } else if (shape == Shape::kAlias) {
    // The seeds' bug: a new section backed by memory a live one already maps.
    const Section& target = *rc::gen::elementOf(ram);
    const uint64_t target_pages = std::max<uint64_t>(1, target.size / page);
    uint64_t offset = *rc::gen::inRange<uint64_t>(0, target_pages) * page;
    if (offset >= target.size) offset = 0;
    sec.size = std::min(sec.size, target.size - offset);
    sec.hva = target.hva + offset;
    sec.gpa = FreeGpaFrom(s, gpa + sec.hva % page, sec.size);
    sec.name = absl::StrFormat("alias@0x%x", sec.gpa);
  } else {
    if (shape == Shape::kSubPage) {
      gpa += *rc::gen::inRange<uint64_t>(1, page);
      sec.size += *rc::gen::inRange<uint64_t>(0, page);
    }
    sec.gpa = FreeGpaFrom(s, gpa, sec.size);
    sec.hva = kGuestHvaBase + sec.gpa;
    if (shape == Shape::kMisaligned) {
      // Off by a multiple of the guest page but not of the host's (aligned
      // for the listener, which works in guest pages), or by less than a
      // guest page (skipped as unaligned).
      if (host_page > page && *rc::gen::arbitrary<bool>()) {
        // In an area of their own, at twice the host-page base of the GPA,
        // so that the shift never lands one on fresh RAM's or on another's
        // memory (an alias no one meant): only deliberate aliases share.
        const uint64_t floor = sec.gpa / host_page * host_page;
        sec.hva = kGuestAlignedHvaBase + floor + sec.gpa +
                  page * *rc::gen::inRange<uint64_t>(1, host_page / page);
      } else {
        sec.hva += *rc::gen::inRange<uint64_t>(1, page);
      }
    }
    sec.ram = shape != Shape::kNonRam;
    const char* prefix = shape == Shape::kNonRam ? "mmio" : "ram";
    sec.name = absl::StrFormat("%s@0x%x", prefix, sec.gpa);
  }
  sec.readonly = *rc::gen::weightedElement<bool>({{5, false}, {1, true}});
  return sec;
}

// One listener transaction: delete some live sections, add some new ones.
class Transaction : public EventCommand {
 public:
  Transaction(const GenState& s, size_t max_dels, size_t max_adds) {
    GenState after = s;
    size_t dels = after.sections.empty()
                      ? 0
                      : *rc::gen::inRange<size_t>(0, std::min(max_dels, after.sections.size()) + 1);
    for (size_t i = 0; i < dels; ++i) {
      // Half the time the newest section goes: hot-unplug and PAM toggles
      // often undo the latest change, and it makes the simplest failing
      // patterns the ones found first, which RapidCheck can shrink further.
      const bool newest = *rc::gen::arbitrary<bool>();
      Section victim = newest ? after.sections.back() : *rc::gen::elementOf(after.sections);
      for (const GenIommuEntry& e : after.IommuEntriesIn(victim)) {
        after.RemoveIommuEntry(e);
        unmaps_.push_back(e);
      }
      after.RemoveSection(victim);
      dels_.push_back(victim);
    }
    size_t adds = *rc::gen::inRange<size_t>(dels_.empty() ? 1 : 0, max_adds + 1);
    for (size_t i = 0; i < adds; ++i) {
      Section fresh = NewSection(after);
      after.sections.push_back(fresh);
      adds_.push_back(fresh);
    }
    RC_PRE(!dels_.empty() || !adds_.empty());
  }

  void checkPreconditions(const GenState& s) const override {
    GenState after = s;
    // The guest IOMMU entries into a deleted section go first, and exactly
    // those (a shrink may have dropped the command that mapped one).
    for (const GenIommuEntry& e : unmaps_) {
      RC_PRE(after.HasIommuEntry(e));
      after.RemoveIommuEntry(e);
    }
    for (const Section& d : dels_) {
      RC_PRE(after.HasSection(d));
      RC_PRE(after.IommuEntriesIn(d).empty());
      after.RemoveSection(d);
    }
    for (const Section& a : adds_) {
      RC_PRE(after.GpaFree(a.gpa, a.size));
      after.sections.push_back(a);
    }
  }

  void apply(GenState& s) const override {
    for (const GenIommuEntry& e : unmaps_) s.RemoveIommuEntry(e);
    for (const Section& d : dels_) s.RemoveSection(d);
    for (const Section& a : adds_) s.sections.push_back(a);
  }

  std::vector<Event> Events() const override {
    std::vector<Event> events;
    for (const GenIommuEntry& e : unmaps_) {
      events.push_back(IommuUnmapEvent{e.giova, e.giova + e.size - 1});
    }
    events.push_back(ListenerBeginEvent{});
    for (const Section& d : dels_) events.push_back(RegionDelEvent{d});
    for (const Section& a : adds_) events.push_back(RegionAddEvent{a});
    events.push_back(ListenerCommitEvent{});
    return events;
  }

 private:
  std::vector<GenIommuEntry> unmaps_;
  std::vector<Section> dels_;
  std::vector<Section> adds_;
};

// The common single-change transactions, and PAM-style replacements.
struct AddSection : Transaction {
  explicit AddSection(const GenState& s) : Transaction(s, 0, 1) {}
};
struct DelSection : Transaction {
  explicit DelSection(const GenState& s) : Transaction(s, 1, 0) {
    RC_PRE(!s.sections.empty());
  }
};
struct ReplaceSections : Transaction {
  explicit ReplaceSections(const GenState& s) : Transaction(s, 2, 2) {}
};

class MapHostBuffer : public EventCommand {
 public:
  explicit MapHostBuffer(const GenState& s) {
    // Host-only memory is the shadow virtqueues' (refused with a vIOMMU);
    // without shadow data only an isolated CVQ has any, in its own asid.
    const bool isolated_cvq = s.config.num_as > 1 && s.config.Has(kFeatureIotlbAsid) &&
                              s.config.Has(kFeatureIotlbMsgV2);
    RC_PRE(!s.config.viommu && (s.shadow || isolated_cvq));
    const uint64_t page = s.config.page_size;
    const uint64_t slot_bytes = kHostSlotPages * page;
    uint64_t slot = *rc::gen::inRange<uint64_t>(0, kHostSlots);
    size_t tries = 0;
    while (!s.HostSlotFree(kHostHvaBase + slot * slot_bytes) && tries++ < kHostSlots) {
      slot = (slot + 1) % kHostSlots;
    }
    RC_PRE(tries < kHostSlots);
    buffer_.hva = kHostHvaBase + slot * slot_bytes;
    buffer_.size = *rc::gen::inRange<uint64_t>(1, 5) * page;
    if (*rc::gen::weightedElement<bool>({{3, false}, {1, true}})) {
      buffer_.size -= *rc::gen::inRange<uint64_t>(1, page);
    }
    // What QEMU maps host-only memory with (domain facts, section 4): the SVQ
    // driver area read-only, the device area and the CVQ status buffer
    // read-write (hw/virtio/vhost-vdpa.c vhost_vdpa_svq_map_rings,
    // net/vhost-vdpa.c vhost_vdpa_cvq_map_buf). No caller maps host memory
    // write-only, and QEMU's map functions cannot express it.
    buffer_.perm = *rc::gen::weightedElement<uint8_t>({{1, kPermRO}, {1, kPermRW}});
    buffer_.asid = !s.shadow ? 1 : isolated_cvq ? *rc::gen::inRange<uint32_t>(0, 2) : 0;
    const char* role = buffer_.asid == 1            ? "cvq"
                       : buffer_.perm == kPermRO    ? "vring-driver"
                                                    : "vring-device";
    buffer_.name = absl::StrFormat("%s@slot%u", role, slot);
  }
  void checkPreconditions(const GenState& s) const override {
    RC_PRE(s.HostSlotFree(buffer_.hva));
    RC_PRE(s.shadow || buffer_.asid != 0);
  }
  void apply(GenState& s) const override { s.buffers.push_back(buffer_); }
  std::vector<Event> Events() const override { return {HostMapEvent{buffer_}}; }

 private:
  HostBuffer buffer_;
};

class UnmapHostBuffer : public EventCommand {
 public:
  explicit UnmapHostBuffer(const GenState& s) {
    RC_PRE(!s.buffers.empty());
    buffer_ = *rc::gen::elementOf(s.buffers);
  }
  void checkPreconditions(const GenState& s) const override {
    RC_PRE(s.HasBuffer(buffer_));
  }
  void apply(GenState& s) const override { s.RemoveBuffer(buffer_); }
  std::vector<Event> Events() const override {
    return {HostUnmapEvent{buffer_.hva, buffer_.size, buffer_.asid}};
  }

 private:
  HostBuffer buffer_;
};

enum class Target { kInSection, kAcrossSectionEnd, kAnyGpa, kInBuffer, kAcrossBufferEnd, kAnyHva };

// A guest buffer: elements inside sections, across their ends, into memory
// nothing maps, and into host-only buffers. The model decides which must work.
// The HVA QEMU maps a GPA at: in the live section holding it, else 0.
uint64_t HvaOfGpa(const GenState& s, uint64_t gpa) {
  for (const Section& x : s.sections) {
    if (gpa >= x.gpa && gpa - x.gpa < x.size) return x.hva + (gpa - x.gpa);
  }
  return 0;
}

class TranslateBuffer : public EventCommand {
 public:
  explicit TranslateBuffer(const GenState& s) {
    // Under a vIOMMU QEMU refuses shadow virtqueues: nothing translates
    // guest buffers. Without shadow data (GPA is IOVA) translations still
    // come: the CVQ's, and a translator's own entry point must hold there.
    RC_PRE(!s.config.viommu);
    const uint64_t page = s.config.page_size;
    // Half the buffers stay inside live memory, so that the success path
    // (device DMA lands where the guest means) is exercised as much as the
    // refusals.
    const bool well_formed = (!s.sections.empty() || !s.buffers.empty()) &&
                             *rc::gen::arbitrary<bool>();
    std::vector<std::pair<uint32_t, Target>> targets;
    if (!s.sections.empty()) targets.push_back({5, Target::kInSection});
    if (!s.buffers.empty()) targets.push_back({3, Target::kInBuffer});
    if (!well_formed) {
      targets.push_back({1, Target::kAnyGpa});
      targets.push_back({1, Target::kAnyHva});
      if (!s.sections.empty()) targets.push_back({2, Target::kAcrossSectionEnd});
      if (!s.buffers.empty()) targets.push_back({1, Target::kAcrossBufferEnd});
    }
    const size_t n = *rc::gen::inRange<size_t>(1, 5);
    for (size_t i = 0; i < n; ++i) {
      Iovec v;
      v.device_writes = *rc::gen::arbitrary<bool>();
      switch (PickWeighted(targets)) {
        case Target::kInSection: {
          const Section& x = *rc::gen::elementOf(s.sections);
          const uint64_t offset = DrawOffset(x.size, page);
          v.has_gpa = true;
          v.gpa = x.gpa + offset;
          v.len = DrawLength(x.size - offset, page);
          break;
        }
        case Target::kAcrossSectionEnd: {
          const Section& x = *rc::gen::elementOf(s.sections);
          uint64_t before = *rc::gen::inRange<uint64_t>(1, std::min(x.size, page) + 1);
          v.has_gpa = true;
          v.gpa = x.gpa + x.size - before;
          v.len = before + DrawLength(page, page);  // past the end by 1 .. a page
          // A section ending at 2^64 has no past: the element stops there.
          if (v.gpa + v.len < v.gpa) v.len = ~uint64_t{0} - v.gpa + 1;
          break;
        }
        case Target::kAnyGpa:
          v.has_gpa = true;
          v.len = DrawLength(2 * page, page);
          // The top of the GPA space: the last byte is 2^64 - 1.
          v.gpa = DrawEdgeOr({~uint64_t{0} - (v.len - 1)},
                             *rc::gen::inRange<uint64_t>(0, 300 * page));
          break;
        case Target::kInBuffer: {
          const HostBuffer& b = *rc::gen::elementOf(s.buffers);
          const uint64_t offset = DrawOffset(b.size, page);
          v.hva = b.hva + offset;
          v.len = DrawLength(b.size - offset, page);
          break;
        }
        case Target::kAcrossBufferEnd: {
          const HostBuffer& b = *rc::gen::elementOf(s.buffers);
          uint64_t end = RoundUp(b.size, page);
          v.hva = b.hva + end - 1;
          v.len = 1 + DrawLength(page - 1, page);
          break;
        }
        case Target::kAnyHva:
          v.hva = kHostHvaBase + *rc::gen::inRange<uint64_t>(0, kHostSlots * kHostSlotPages * page);
          v.len = *rc::gen::inRange<uint64_t>(1, 2 * page);
          break;
      }
      if (v.has_gpa) v.hva = HvaOfGpa(s, v.gpa);
      iovecs_.push_back(v);
    }
  }
  // A guest element's HVA is where QEMU mapped its GPA (a virtqueue element
  // carries both, always in step). Shrinking may drop the section an element
  // was generated in, or put another there: such a sequence is not one QEMU
  // could see, and a translator that looks elements up by HVA (QEMU 7.2)
  // would be judged on an impossible buffer.
  void checkPreconditions(const GenState& s) const override {
    for (const Iovec& v : iovecs_) {
      if (v.has_gpa) RC_PRE(v.hva == HvaOfGpa(s, v.gpa));
    }
  }
  void apply(GenState&) const override {}
  std::vector<Event> Events() const override { return {TranslateEvent{iovecs_}}; }

 private:
  std::vector<Iovec> iovecs_;
};

}  // namespace

rc::Gen<std::shared_ptr<const Command>> GenCommand(const GenState& state) {
  // Repeated types weigh the choice: sections come and go most.
  // The device's life (resets, shadow-data switches, its own DMA) and the
  // guest IOMMU's notifications come less often; each refuses the states it
  // cannot meet (a vIOMMU command without one), and RapidCheck draws again.
  return rc::state::gen::execOneOfWithArgs<AddSection, AddSection, AddSection,
                                           DelSection, DelSection, ReplaceSections,
                                           MapHostBuffer, UnmapHostBuffer,
                                           TranslateBuffer, TranslateBuffer, ResetDevice,
                                           SwitchShadowData, DeviceDma, MapIommu, MapIommu,
                                           UnmapIommu>()(state);
}

rc::Gen<DeviceConfig> GenDeviceConfig(std::optional<DeviceKind> kind) {
  return rc::gen::exec([kind] {
    DeviceConfig c;
    // The host's and the guest's pages apart (aarch64 and ppc64 hosts run
    // 64 KiB pages under 4 KiB guests), each 4, 16 or 64 KiB.
    c.page_size = *rc::gen::weightedElement<uint64_t>({{4, 0x1000}, {1, 0x4000}, {1, 0x10000}});
    c.target_page_size =
        *rc::gen::weightedElement<uint64_t>({{4, 0x1000}, {1, 0x4000}, {1, 0x10000}});
    c.iova_first = *rc::gen::element<uint64_t>(0, 0x1000, 0x40000);
    // Small ranges too: a few sections fill them, and allocations fail.
    c.iova_last = *rc::gen::weightedElement<uint64_t>(
        {{3, 0xffffffff},
         {3, (uint64_t{1} << 48) - 1},
         {3, ~uint64_t{0}},
         {1, c.iova_first + 64 * c.page_size - 1},
         {1, c.iova_first + 16 * c.page_size - 1}});
    c.viommu = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
    const bool v2 = *rc::gen::arbitrary<bool>();
    const bool batch = *rc::gen::arbitrary<bool>();
    const bool asid = v2 && *rc::gen::arbitrary<bool>();
    const bool persist = *rc::gen::arbitrary<bool>();
    c.backend_features = (uint64_t{v2} << kFeatureIotlbMsgV2) |
                         (uint64_t{batch} << kFeatureIotlbBatch) |
                         (uint64_t{asid} << kFeatureIotlbAsid) |
                         (uint64_t{persist} << kFeatureIotlbPersist);
    c.kind = kind ? *kind : *rc::gen::element(DeviceKind::kDmaMap, DeviceKind::kSetMap);
    c.num_as = *rc::gen::element<uint32_t>(1, 2);
    return c;
  });
}

}  // namespace iovacheck
