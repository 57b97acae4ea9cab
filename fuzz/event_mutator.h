// A structure-aware mutator over iovacheck's own event vocabulary (the
// role libprotobuf-mutator would play; it is not in Debian). A trace is
// changed as a run would differ, not as bytes do: events dropped, repeated,
// moved or swapped, a listener transaction opened or closed, an event's kind
// replaced by another's, and numeric fields (addresses, sizes, ASIDs, perms,
// page sizes, the IOVA range) set to the values where translators break: 0,
// 1, a page either side, the end of another mapping, 2^64 - 1, a neighbour
// of the old value, or the same field of another event.
#ifndef IOVACHECK_FUZZ_EVENT_MUTATOR_H_
#define IOVACHECK_FUZZ_EVENT_MUTATOR_H_

#include <cstdint>

#include "traces/trace.pb.h"

namespace iovacheck {

// One to four such changes to `trace`, chosen by `seed` alone.
void MutateTrace(trace::Trace* trace, uint64_t seed);

}  // namespace iovacheck

#endif  // IOVACHECK_FUZZ_EVENT_MUTATOR_H_
