// The free holes of an address range, in a treap ordered by address and
// augmented with the widest hole of each subtree, so that first fit -- the
// lowest hole at least `len` wide -- is one O(log n) descent instead of
// QEMU's walk over every allocation. Holes are disjoint, inclusive [start,
// last]. A node's priority is a hash of the start it was inserted with: the
// same operations give the same shape, run after run.
#ifndef IOVACHECK_MODEL_HOLE_TREE_H_
#define IOVACHECK_MODEL_HOLE_TREE_H_

#include <cstdint>
#include <optional>
#include <vector>

namespace iovacheck {

struct Hole {
  uint64_t start = 0;
  uint64_t last = 0;  // inclusive
};

class HoleTree {
 public:
  void Insert(const Hole& hole);  // must not overlap a hole already there
  void Erase(uint64_t start);     // the hole starting at `start`, if any

  // The hole with the largest start <= addr.
  std::optional<Hole> AtOrBelow(uint64_t addr) const;
  // The lowest hole with last - start >= span (at least span + 1 wide).
  std::optional<Hole> FirstWithSpan(uint64_t span) const;

  size_t size() const { return size_; }

 private:
  struct Node {
    Hole hole;
    uint64_t max_span = 0;  // widest last - start in the subtree
    uint64_t priority = 0;
    int32_t left = -1;
    int32_t right = -1;
  };

  void Pull(int32_t n);
  // Splits t into keys < key and keys >= key.
  void Split(int32_t t, uint64_t key, int32_t* lo, int32_t* hi);
  int32_t Merge(int32_t a, int32_t b);
  int32_t NewNode(const Hole& hole);

  std::vector<Node> nodes_;
  std::vector<int32_t> free_;  // reusable slots of nodes_
  int32_t root_ = -1;
  size_t size_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_HOLE_TREE_H_
