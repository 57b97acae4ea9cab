#include "model/guest_memory.h"

#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

absl::uint128 End(uint64_t start, uint64_t size) {
  return absl::uint128(start) + size;
}

constexpr absl::uint128 kTop = absl::uint128(1) << 64;

}  // namespace

std::string SectionToString(const Section& s) {
  return absl::StrFormat("%s gpa [0x%x, +0x%x) hva [0x%x, +0x%x) %s%s",
                         s.name.empty() ? "section" : s.name, s.gpa, s.size,
                         s.hva, s.size, s.readonly ? "ro" : "rw",
                         s.ram ? "" : " non-ram");
}

bool HvaOverlaps(const Section& a, const Section& b) {
  return absl::uint128(a.hva) < End(b.hva, b.size) &&
         absl::uint128(b.hva) < End(a.hva, a.size);
}

absl::Status GuestMemory::Add(const Section& section) {
  if (section.size == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("section %s has size 0", SectionToString(section)));
  }
  if (End(section.gpa, section.size) > kTop || End(section.hva, section.size) > kTop) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "section %s wraps past 2^64", SectionToString(section)));
  }
  // The only candidates are the section starting at or before gpa and the
  // first one after it: live sections are disjoint.
  auto next = sections_.lower_bound(section.gpa);
  if (next != sections_.end() &&
      absl::uint128(next->first) < End(section.gpa, section.size)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "section %s overlaps live section %s in GPA",
        SectionToString(section), SectionToString(next->second)));
  }
  if (next != sections_.begin()) {
    const Section& prev = std::prev(next)->second;
    if (End(prev.gpa, prev.size) > section.gpa) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "section %s overlaps live section %s in GPA",
          SectionToString(section), SectionToString(prev)));
    }
  }
  last_found_.value = nullptr;  // a btree and a hash table move their values on insert
  sections_.emplace_hint(next, section.gpa, section);
  pages_.Add(section.gpa, section.gpa + (section.size - 1), section);
  return absl::OkStatus();
}

absl::StatusOr<Section> GuestMemory::Remove(uint64_t gpa, uint64_t size) {
  auto it = sections_.find(gpa);
  if (it == sections_.end() || it->second.size != size) {
    return absl::NotFoundError(absl::StrFormat(
        "no live section at gpa 0x%x with size 0x%x", gpa, size));
  }
  pages_.Remove(gpa, gpa + (size - 1));
  Section removed = std::move(it->second);
  last_found_.value = nullptr;
  sections_.erase(it);
  return removed;
}

const Section* GuestMemory::Find(uint64_t gpa) const {
  if (const Section* last = last_found_.value;
      last != nullptr && gpa >= last->gpa && absl::uint128(gpa) < End(last->gpa, last->size)) {
    return last;
  }
  if (const Section* s = pages_.Find(gpa)) {
    last_found_.value = s;
    return s;
  }
  auto it = sections_.upper_bound(gpa);
  if (it == sections_.begin()) return nullptr;
  --it;
  const Section& s = it->second;
  if (absl::uint128(gpa) >= End(s.gpa, s.size)) return nullptr;
  last_found_.value = &s;
  return &s;
}

std::vector<Section> GuestMemory::Sections() const {
  std::vector<Section> out;
  out.reserve(sections_.size());
  for (const auto& [gpa, s] : sections_) out.push_back(s);
  return out;
}

}  // namespace iovacheck
