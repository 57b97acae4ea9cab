#include "props/gen_state.h"

#include <algorithm>

#include "absl/numeric/int128.h"

namespace iovacheck {

GenState GenState::Initial(const DeviceConfig& config) {
  GenState s;
  s.config = config;
  s.shadow = !config.viommu;
  return s;
}

bool GenState::GpaFree(uint64_t gpa, uint64_t size) const {
  const absl::uint128 end = absl::uint128(gpa) + size;
  for (const Section& s : sections) {
    if (absl::uint128(s.gpa) < end && gpa < absl::uint128(s.gpa) + s.size) return false;
  }
  return true;
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
  const absl::uint128 end = absl::uint128(giova) + size;
  for (const GenIommuEntry& e : iommu) {
    if (absl::uint128(e.giova) < end && giova < absl::uint128(e.giova) + e.size) return false;
  }
  return true;
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
