// Which mutants a run looks at: n of all those found, drawn with our own
// seeded PRNG (sim/prng.h), so the same seed over the same sources gives the
// same mutants on any machine.
#ifndef IOVACHECK_MUTATE_SAMPLE_H_
#define IOVACHECK_MUTATE_SAMPLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mutate/mutant.h"

namespace iovacheck {

// n mutants of `all` (all of them when n >= all.size()), in file and
// offset order.
std::vector<Mutant> SampleMutants(std::vector<Mutant> all, size_t n, uint64_t seed);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_SAMPLE_H_
