// Rounding to the page, in 128 bits: a mapping may end exactly at 2^64, and
// a length rounded up may reach it. Page sizes are powers of two in
// practice, and a mask spares the division (for 128 bits, a library call)
// on paths every event takes; any other size still rounds right.
#ifndef IOVACHECK_MODEL_PAGE_MATH_H_
#define IOVACHECK_MODEL_PAGE_MATH_H_

#include <cstdint>

#include "absl/numeric/int128.h"

namespace iovacheck {

// x rounded down to a multiple of page.
inline absl::uint128 PageFloor(absl::uint128 x, uint64_t page) {
  if ((page & (page - 1)) == 0) return x & ~absl::uint128(page - 1);
  return x / page * page;
}

// x rounded up to a multiple of page.
inline absl::uint128 PageCeil(absl::uint128 x, uint64_t page) {
  return PageFloor(x + page - 1, page);
}

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_PAGE_MATH_H_
