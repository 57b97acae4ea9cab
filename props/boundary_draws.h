// Addresses and sizes drawn with a bias towards their edges, as Hypothesis
// draws integers: real translation bugs sit on the first and last byte of a
// mapping, one byte before or past it, a length of a page minus one, and the
// top of the 64-bit space, which uniform draws almost never hit. A fixed
// share of the draws (one in three) is an edge; the rest stay uniform, so
// the interior is covered too. Edges come first in the lists, so RapidCheck
// shrinks towards them.
#ifndef IOVACHECK_PROPS_BOUNDARY_DRAWS_H_
#define IOVACHECK_PROPS_BOUNDARY_DRAWS_H_

#include <cstdint>
#include <vector>

namespace iovacheck {

// An offset in [0, size): edges 0, 1, size - 1, a page in, a page before the
// end. size > 0.
uint64_t DrawOffset(uint64_t size, uint64_t page);

// A length in [1, room]: edges 1, page - 1, page, page + 1, room - 1 and
// room (exactly to the end). room > 0.
uint64_t DrawLength(uint64_t room, uint64_t page);

// One of `edges` that satisfies nothing more than being listed (the caller
// filters), or `otherwise` for the uniform share. Used where the edges are
// specific to the draw (a device's IOVA range, live entries).
uint64_t DrawEdgeOr(const std::vector<uint64_t>& edges, uint64_t otherwise);

// Whether this draw takes an edge: the shared one-in-three choice.
bool DrawEdge();

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_BOUNDARY_DRAWS_H_
