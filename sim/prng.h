// A small deterministic PRNG for generated traces: SplitMix64 (Steele, Lea,
// Flood 2014). The standard library's distributions are not specified bit for
// bit, so the same seed could give different traces on another standard
// library; everything here is plain integer arithmetic.
#ifndef IOVACHECK_SIM_PRNG_H_
#define IOVACHECK_SIM_PRNG_H_

#include <cstdint>

#include "absl/numeric/int128.h"

namespace iovacheck {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), n > 0: Lemire's multiply-and-reject, unbiased.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const absl::uint128 m = absl::uint128(Next()) * n;
      if (absl::Uint128Low64(m) >= threshold) return absl::Uint128High64(m);
    }
  }

  // Uniform in [lo, hi], lo <= hi < 2^64 - 1.
  uint64_t InRange(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }

  // True with probability percent / 100.
  bool Percent(uint64_t percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_PRNG_H_
