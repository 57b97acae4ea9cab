#include "translator/listener_section.h"

#include "translator/address_math.h"

namespace iovacheck {

ListenerSection ClassifySection(const GuestSection& section,
                                const DeviceConfig& config) {
  ListenerSection out;
  const uint64_t page = config.target_page_size;  // QEMU's listener: the guest's
  const absl::uint128 page_low = page - 1;
  // The section may end exactly at 2^64, so its end is computed in 128 bits.
  const absl::uint128 llend =
      (absl::uint128(section.gpa) + section.size) & ~page_low;

  if (!section.ram) {
    out.verdict = SectionVerdict::kNotRam;
    return out;
  }
  if (section.gpa < config.iova_first) {
    out.verdict = SectionVerdict::kBelowRange;
    return out;
  }
  // QEMU compares the exclusive end with the inclusive last; a section ending
  // exactly at iova_last + 1 is therefore skipped too. Kept as QEMU has it.
  if (llend > config.iova_last) {
    out.verdict = SectionVerdict::kPastRange;
    return out;
  }
  if ((section.gpa & (page - 1)) != (section.hva & (page - 1))) {
    out.verdict = SectionVerdict::kUnaligned;
    return out;
  }
  const absl::uint128 start = RoundUpToPage(section.gpa, page);
  if (start >= llend) {
    out.verdict = SectionVerdict::kEmpty;
    return out;
  }
  // start < llend <= 2^64 - 1 here, so it fits in 64 bits.
  const uint64_t gpa = absl::Uint128Low64(start);
  out.verdict = SectionVerdict::kMap;
  out.range.gpa = gpa;
  out.range.size = llend - start;
  out.range.hva = section.hva + (gpa - section.gpa);
  out.range.perm = section.readonly ? kPermRO : kPermRW;
  return out;
}

}  // namespace iovacheck
