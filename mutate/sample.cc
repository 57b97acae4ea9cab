#include "mutate/sample.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "sim/prng.h"

namespace iovacheck {

std::vector<Mutant> SampleMutants(std::vector<Mutant> all, size_t n, uint64_t seed) {
  // The first n places of a Fisher-Yates shuffle.
  SplitMix64 prng(seed);
  n = std::min(n, all.size());
  for (size_t i = 0; i < n; ++i) {
    std::swap(all[i], all[i + prng.Below(all.size() - i)]);
  }
  all.resize(n);
  std::sort(all.begin(), all.end(), [](const Mutant& a, const Mutant& b) {
    return std::tie(a.file, a.offset, a.op, a.replacement) <
           std::tie(b.file, b.offset, b.op, b.replacement);
  });
  return all;
}

}  // namespace iovacheck
