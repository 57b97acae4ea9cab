#include "props/boundary_draws.h"

#include <algorithm>

#include <rapidcheck.h>

namespace iovacheck {
namespace {

// The distinct candidates inside [lo, hi], in the order given.
std::vector<uint64_t> Within(std::vector<uint64_t> candidates, uint64_t lo, uint64_t hi) {
  std::vector<uint64_t> out;
  for (uint64_t c : candidates) {
    if (c >= lo && c <= hi && std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool DrawEdge() { return *rc::gen::weightedElement<bool>({{2, false}, {1, true}}); }

uint64_t DrawEdgeOr(const std::vector<uint64_t>& edges, uint64_t otherwise) {
  if (edges.empty() || !DrawEdge()) return otherwise;
  return *rc::gen::elementOf(edges);
}

uint64_t DrawOffset(uint64_t size, uint64_t page) {
  const uint64_t uniform = *rc::gen::inRange<uint64_t>(0, size);
  // size - page wraps when size < page: Within drops it.
  return DrawEdgeOr(Within({0, 1, size - 1, page, size - page}, 0, size - 1), uniform);
}

uint64_t DrawLength(uint64_t room, uint64_t page) {
  const uint64_t uniform = *rc::gen::inRange<uint64_t>(1, room + 1);
  return DrawEdgeOr(Within({1, page - 1, page, page + 1, room - 1, room}, 1, room), uniform);
}

}  // namespace iovacheck
