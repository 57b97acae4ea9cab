#include "props/gen_state.h"

#include <algorithm>

#include "absl/numeric/int128.h"

namespace iovacheck {
namespace {

// Whether [a, a + a_size) and [b, b + b_size) share a byte; either may end
// at 2^64.
bool Overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
  return absl::uint128(a) < absl::uint128(b) + b_size && b < absl::uint128(a) + a_size;
}

}  // namespace

GenState GenState::Initial(const DeviceConfig& config) {
  GenState s;
  s.config = config;
  s.shadow = !config.viommu;
  return s;
}

bool GenState::GpaFree(uint64_t gpa, uint64_t size) const {
  return std::none_of(sections.begin(), sections.end(),
                      [&](const Section& s) { return Overlap(s.gpa, s.size, gpa, size); });
}

bool GenState::HasSection(const Section& s) const {
  return std::find(sections.begin(), sections.end(), s) != sections.end();
}

bool GenState::HasBuffer(const HostBuffer& b) const {
  return std::find(buffers.begin(), buffers.end(), b) != buffers.end();
}

bool GenState::HostSlotFree(uint64_t hva) const {
  for (const HostBuffer& b : buffers) {
    if (b.hva == hva) return false;
  }
  return true;
}

void GenState::RemoveSection(const Section& s) {
  sections.erase(std::find(sections.begin(), sections.end(), s));
}

void GenState::RemoveBuffer(const HostBuffer& b) {
  buffers.erase(std::find(buffers.begin(), buffers.end(), b));
}

bool GenState::GiovaFree(uint64_t giova, uint64_t size) const {
  return std::none_of(iommu.begin(), iommu.end(), [&](const GenIommuEntry& e) {
    return Overlap(e.giova, e.size, giova, size);
  });
}

bool GenState::HasIommuEntry(const GenIommuEntry& e) const {
  return std::find(iommu.begin(), iommu.end(), e) != iommu.end();
}

const Section* GenState::RamSectionHolding(uint64_t gpa, uint64_t size) const {
  for (const Section& s : sections) {
    if (s.ram && gpa >= s.gpa && gpa - s.gpa <= s.size && size <= s.size - (gpa - s.gpa)) {
      return &s;
    }
  }
  return nullptr;
}

std::vector<GenIommuEntry> GenState::IommuEntriesIn(const Section& s) const {
  std::vector<GenIommuEntry> out;
  for (const GenIommuEntry& e : iommu) {
    if (e.gpa >= s.gpa && e.gpa - s.gpa < s.size) out.push_back(e);
  }
  return out;
}

void GenState::RemoveIommuEntry(const GenIommuEntry& e) {
  iommu.erase(std::find(iommu.begin(), iommu.end(), e));
}

}  // namespace iovacheck
