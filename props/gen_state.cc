#include "props/gen_state.h"

#include <algorithm>

#include "absl/numeric/int128.h"

namespace iovacheck {

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

}  // namespace iovacheck
