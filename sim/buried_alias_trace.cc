#include "sim/buried_alias_trace.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <optional>

#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

// Low RAM and the alias are the facts file's sections 1 and 3.
constexpr uint64_t kLowRamGpa = 0x0;
constexpr uint64_t kLowRamSize = 0x80000000;
constexpr uint64_t kLowRamHva = 0x7f7903e00000;
constexpr uint64_t kAliasGpa = 0xfeda0000;
constexpr uint64_t kAliasSize = 0x20000;
constexpr uint64_t kAliasHva = 0x7f7903ea0000;

// Noise RAM lives in slots above 4 GiB at an HVA of its own (no aliasing):
// each slot holds at most one section, so GPAs never overlap either.
constexpr uint64_t kRamSlots = 48;
constexpr uint64_t kRamSlotBase = 0x100000000;
constexpr uint64_t kRamSlotSize = 0x1000000;  // 16 MiB
constexpr uint64_t kRamHvaBase = 0x7f0000000000;
// Host-only buffers have slots of their own, far from guest RAM.
constexpr uint64_t kHostSlots = 32;
constexpr uint64_t kHostSlotBase = 0x7e0000000000;
constexpr uint64_t kHostSlotSize = 0x10000;

uint64_t RamSlotGpa(uint64_t slot) { return kRamSlotBase + slot * kRamSlotSize; }
uint64_t RamSlotHva(uint64_t slot) { return kRamHvaBase + RamSlotGpa(slot); }

// What the generator knows is live. A RAM slot whose HVA a host buffer
// reuses is not given RAM again until the buffer goes: that would alias.
class Generator {
 public:
  Generator(const BuriedAliasOptions& options, const std::function<void(Event)>& sink)
      : rng_(options.seed),
        ram_(kRamSlots),
        host_(kHostSlots),
        reused_by_(kRamSlots),
        sink_(sink) {}

  // Everything but the events, which went to the sink.
  BuriedAliasTrace Run(const BuriedAliasOptions& options) {
    BuriedAliasTrace out;
    out.config = BuriedAliasConfig();
    const Section low_ram{kLowRamGpa, kLowRamSize, kLowRamHva, false, true, "pc.ram"};
    const Section alias{kAliasGpa, kAliasSize, kAliasHva, false, true, "smram-open-high"};
    out.ram_add_index = Transaction({RegionAddEvent{low_ram}});
    const size_t bury = static_cast<size_t>(options.min_input_events * options.bury_at);
    while (inputs_ < bury) Noise();
    out.alias_add_index = Transaction({RegionAddEvent{alias}});
    for (int i = 0; i < 40; ++i) Noise();
    out.alias_delete_index = Transaction({RegionDelEvent{alias}});
    while (inputs_ < options.min_input_events) Noise();
    return out;
  }

 private:
  // Returns the index of the transaction's first region event.
  size_t Transaction(std::vector<Event> region_events) {
    Emit(ListenerBeginEvent{});
    const size_t first = emitted_;
    for (Event& e : region_events) Push(std::move(e));
    Emit(ListenerCommitEvent{});
    return first;
  }

  void Emit(Event e) {
    sink_(std::move(e));
    ++emitted_;
  }

  void Push(Event e) {
    Emit(std::move(e));
    ++inputs_;
  }

  void Noise() {
    const uint64_t roll = rng_.Below(100);
    if (roll < 35) {
      RegionTransaction();
    } else if (roll < 50) {
      HostMap();
    } else if (roll < 62) {
      HostUnmap();
    } else if (roll < 97) {
      Translate();
    } else {
      Dma();
    }
  }

  void RegionTransaction() {
    std::vector<Event> ops;
    const uint64_t count = rng_.InRange(1, 3);
    for (uint64_t i = 0; i < count; ++i) {
      const uint64_t slot = rng_.Below(kRamSlots);
      if (ram_[slot]) {
        ops.push_back(RegionDelEvent{*ram_[slot]});
        ram_[slot].reset();
      } else if (!reused_by_[slot]) {
        Section s;
        s.gpa = RamSlotGpa(slot);
        s.size = rng_.InRange(1, 64) * 0x40000;  // up to the whole slot
        s.hva = RamSlotHva(slot);
        s.readonly = rng_.Percent(15);
        s.name = absl::StrFormat("ram@0x%x", s.gpa);
        ops.push_back(RegionAddEvent{s});
        ram_[slot] = s;
      }
    }
    if (!ops.empty()) Transaction(std::move(ops));
  }

  void HostMap() {
    const uint64_t slot = rng_.Below(kHostSlots);
    if (host_[slot]) return;
    HostBuffer b;
    b.hva = kHostSlotBase + slot * kHostSlotSize;
    // A fifth of the buffers reuse the HVA of RAM that is gone.
    if (rng_.Percent(20)) {
      const uint64_t ram_slot = rng_.Below(kRamSlots);
      if (!ram_[ram_slot] && !reused_by_[ram_slot]) {
        b.hva = RamSlotHva(ram_slot);
        reused_by_[ram_slot] = slot + 1;
      }
    }
    b.size = rng_.InRange(1, kHostSlotSize / 0x200) * 0x200;
    b.perm = rng_.Percent(50) ? kPermRO : kPermRW;
    b.asid = rng_.Percent(20) ? 1 : 0;
    b.name = absl::StrFormat("buf%u", slot);
    Push(HostMapEvent{b});
    host_[slot] = b;
  }

  void HostUnmap() {
    const uint64_t slot = rng_.Below(kHostSlots);
    if (!host_[slot]) return;
    const HostBuffer& b = *host_[slot];
    Push(HostUnmapEvent{b.hva, b.size, b.asid});
    for (uint64_t& owner : reused_by_) {
      if (owner == slot + 1) owner = 0;
    }
    host_[slot].reset();
  }

  // One to three elements, each inside live memory; now and then one on a
  // free RAM slot, which every translator must refuse.
  void Translate() {
    TranslateEvent t;
    const uint64_t count = rng_.InRange(1, 3);
    for (uint64_t i = 0; i < count; ++i) {
      Iovec v;
      v.device_writes = rng_.Percent(50);
      const uint64_t slot = rng_.Below(kRamSlots);
      const uint64_t host_slot = rng_.Below(kHostSlots);
      if (ram_[slot] && rng_.Percent(60)) {
        const Section& s = *ram_[slot];
        const uint64_t off = rng_.Below(s.size);
        v.has_gpa = true;
        v.gpa = s.gpa + off;
        v.hva = s.hva + off;
        v.len = rng_.InRange(1, std::min<uint64_t>(s.size - off, 0x4000));
      } else if (host_[host_slot] && rng_.Percent(80)) {
        const HostBuffer& b = *host_[host_slot];
        const uint64_t off = rng_.Below(b.size);
        v.hva = b.hva + off;
        v.len = rng_.InRange(1, b.size - off);
      } else if (!ram_[slot] && !reused_by_[slot]) {
        v.has_gpa = true;
        v.gpa = RamSlotGpa(slot);
        v.hva = RamSlotHva(slot);
        v.len = 0x1000;
      } else {
        continue;
      }
      t.iovecs.push_back(v);
    }
    if (!t.iovecs.empty()) Push(std::move(t));
  }

  // The device reads a page somewhere low in IOVA; whatever it reaches, the
  // oracle only judges the mappings.
  void Dma() {
    DeviceDmaEvent d;
    d.iova = rng_.Below(0x4000000) & ~uint64_t{0xfff};
    d.len = 0x1000;
    Push(d);
  }

  SplitMix64 rng_;
  std::vector<std::optional<Section>> ram_;
  std::vector<std::optional<HostBuffer>> host_;
  std::vector<uint64_t> reused_by_;  // per RAM slot: host slot + 1, or 0
  const std::function<void(Event)>& sink_;
  size_t emitted_ = 0;
  size_t inputs_ = 0;  // emitted_ without the transaction markers
};

}  // namespace

DeviceConfig BuriedAliasConfig() {
  DeviceConfig config;
  config.page_size = 4096;
  return config;
}

BuriedAliasTrace MakeBuriedAliasTrace(const BuriedAliasOptions& options) {
  std::vector<Event> events;
  const std::function<void(Event)> keep = [&events](Event e) { events.push_back(std::move(e)); };
  BuriedAliasTrace out = Generator(options, keep).Run(options);
  out.events = std::move(events);
  return out;
}

BuriedAliasTrace GenerateBuriedAliasTrace(const BuriedAliasOptions& options,
                                          const std::function<void(Event)>& sink) {
  return Generator(options, sink).Run(options);
}

}  // namespace iovacheck
