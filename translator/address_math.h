// Range arithmetic that must not wrap: a mapping may end exactly at 2^64,
// and lengths rounded up to the page may reach it.
#ifndef IOVACHECK_TRANSLATOR_ADDRESS_MATH_H_
#define IOVACHECK_TRANSLATOR_ADDRESS_MATH_H_

#include <cstdint>

#include "absl/numeric/int128.h"

namespace iovacheck {

// 2^64, the length of the whole address space.
inline absl::uint128 WholeAddressSpace() { return absl::MakeUint128(1, 0); }

// len rounded up to a multiple of page (a power of two).
inline absl::uint128 RoundUpToPage(absl::uint128 len, uint64_t page) {
  const absl::uint128 low = page - 1;
  return (len + low) & ~low;
}

// Inclusive last address of [start, start + len); false when the range is
// empty or does not end below 2^64.
inline bool RangeLast(uint64_t start, absl::uint128 len, uint64_t* last) {
  if (len == 0) return false;
  const absl::uint128 end_inclusive = absl::uint128(start) + len - 1;
  if (absl::Uint128High64(end_inclusive) != 0) return false;
  *last = absl::Uint128Low64(end_inclusive);
  return true;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_ADDRESS_MATH_H_
