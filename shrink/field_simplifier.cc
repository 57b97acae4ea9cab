#include "shrink/field_simplifier.h"

#include <algorithm>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

uint64_t AlignDown(uint64_t v, uint64_t step) { return v & ~(step - 1); }

struct Variants {
  uint64_t page;
  std::vector<Event> out;

  void operator()(const RegionAddEvent& e) {
    const Section& s = e.section;
    auto with = [&](auto change) {
      Section t = s;
      change(t);
      out.push_back(RegionAddEvent{t});
    };
    if (!s.readonly) with([](Section& t) { t.readonly = true; });
    for (uint64_t size : LowerValues(s.size, std::min(s.size, page), page)) {
      with([&](Section& t) { t.size = size; });
    }
    if (s.size % page != 0 && s.size > page) {
      with([&](Section& t) { t.size = AlignDown(s.size, page); });
    }
    for (uint64_t gpa : LowerValues(s.gpa, 0, page)) with([&](Section& t) { t.gpa = gpa; });
    if (s.gpa % page != 0) with([&](Section& t) { t.gpa = AlignDown(s.gpa, page); });
    // Lowering an HVA would break the aliasing that is usually the point;
    // aligning it is all that is tried.
    if (s.hva % page != 0) with([&](Section& t) { t.hva = AlignDown(s.hva, page); });
  }

  void operator()(const HostMapEvent& e) {
    const HostBuffer& b = e.buffer;
    auto with = [&](auto change) {
      HostBuffer t = b;
      change(t);
      out.push_back(HostMapEvent{t});
    };
    if (b.perm != kPermRO) with([](HostBuffer& t) { t.perm = kPermRO; });
    if (b.asid != 0) with([](HostBuffer& t) { t.asid = 0; });
    for (uint64_t size : LowerValues(b.size, std::min(b.size, page), page)) {
      with([&](HostBuffer& t) { t.size = size; });
    }
    if (b.size > page && b.size % page != 0) {
      with([&](HostBuffer& t) { t.size = AlignDown(b.size, page); });
    }
    for (uint64_t hva : LowerValues(b.hva, page, page)) with([&](HostBuffer& t) { t.hva = hva; });
  }

  void operator()(const TranslateEvent& e) {
    auto with = [&](auto change) {
      TranslateEvent t = e;
      change(t);
      out.push_back(t);
    };
    for (size_t i = 0; e.iovecs.size() > 1 && i < e.iovecs.size(); ++i) {
      with([&](TranslateEvent& t) { t.iovecs.erase(t.iovecs.begin() + i); });
    }
    for (size_t i = 0; i < e.iovecs.size(); ++i) {
      const Iovec& v = e.iovecs[i];
      if (v.device_writes) with([&](TranslateEvent& t) { t.iovecs[i].device_writes = false; });
      for (uint64_t len : LowerValues(v.len, 1, 1)) {
        with([&](TranslateEvent& t) { t.iovecs[i].len = len; });
      }
      // Moving an element keeps its GPA and HVA in step: it stays the same
      // guest memory, at the start of its page.
      const uint64_t start = v.has_gpa ? v.gpa : v.hva;
      const uint64_t shift = start % page;
      if (shift != 0 && v.hva >= shift && (!v.has_gpa || v.gpa >= shift)) {
        with([&](TranslateEvent& t) {
          t.iovecs[i].hva -= shift;
          if (v.has_gpa) t.iovecs[i].gpa -= shift;
          t.iovecs[i].len += shift;
        });
      }
    }
  }

  void operator()(const DeviceDmaEvent& e) {
    auto with = [&](auto change) {
      DeviceDmaEvent t = e;
      change(t);
      out.push_back(t);
    };
    if (e.device_writes) with([](DeviceDmaEvent& t) { t.device_writes = false; });
    if (e.asid != 0) with([](DeviceDmaEvent& t) { t.asid = 0; });
    for (uint64_t len : LowerValues(e.len, 1, 1)) with([&](DeviceDmaEvent& t) { t.len = len; });
    for (uint64_t iova : LowerValues(e.iova, 0, page)) {
      with([&](DeviceDmaEvent& t) { t.iova = iova; });
    }
    if (e.iova % page != 0) with([&](DeviceDmaEvent& t) { t.iova = AlignDown(e.iova, page); });
  }

  // The guest IOVA and size move; the GPA stays, so the entry keeps
  // pointing into the same RAM (its section is what the failure is about).
  void operator()(const IommuMapEvent& e) {
    auto with = [&](auto change) {
      IommuMapEvent t = e;
      change(t);
      out.push_back(t);
    };
    if (e.perm != kPermRO) with([](IommuMapEvent& t) { t.perm = kPermRO; });
    for (uint64_t size : LowerValues(e.size, std::min(e.size, page), page)) {
      with([&](IommuMapEvent& t) { t.size = size; });
    }
    // Not below one page: IOVA 0 is the null address a translator may refuse.
    for (uint64_t giova : LowerValues(e.giova, std::min(e.giova, page), page)) {
      with([&](IommuMapEvent& t) { t.giova = giova; });
    }
  }

  // Shadow switches, resets, markers and closers have nothing to simplify.
  template <typename Other>
  void operator()(const Other&) {}
};

}  // namespace

std::vector<uint64_t> LowerValues(uint64_t value, uint64_t floor, uint64_t step) {
  std::vector<uint64_t> out;
  if (value <= floor) return out;
  // floor, then value - d for d = (value - floor) / 2, / 4, ... down to step.
  out.push_back(floor);
  for (uint64_t d = (value - floor) / 2; d >= step; d /= 2) {
    const uint64_t v = AlignDown(value - d, step);
    if (v > out.back() && v < value) out.push_back(v);
  }
  // The halving stops short of the last step: add one step below.
  const uint64_t last = AlignDown(value - 1, step);
  if (last > out.back()) out.push_back(last);
  return out;
}

std::vector<Event> SimplerVariants(const Event& event, uint64_t page_size) {
  Variants v{page_size, {}};
  std::visit(v, event);
  return std::move(v.out);
}

std::optional<Event> FollowPartner(const Event& partner, const Event& simplified) {
  if (std::holds_alternative<RegionDelEvent>(partner)) {
    if (const auto* add = std::get_if<RegionAddEvent>(&simplified)) {
      return RegionDelEvent{add->section};
    }
  }
  if (std::holds_alternative<HostUnmapEvent>(partner)) {
    if (const auto* map = std::get_if<HostMapEvent>(&simplified)) {
      return HostUnmapEvent{map->buffer.hva, map->buffer.size, map->buffer.asid};
    }
  }
  if (std::holds_alternative<IommuUnmapEvent>(partner)) {
    if (const auto* map = std::get_if<IommuMapEvent>(&simplified)) {
      return IommuUnmapEvent{map->giova, map->giova + (map->size - 1)};
    }
  }
  return std::nullopt;
}

}  // namespace iovacheck
