#include "model/hole_tree.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace iovacheck {
namespace {

// SplitMix64's finaliser: a well-mixed priority from the hole's start.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

}  // namespace

int32_t HoleTree::NewNode(const Hole& hole) {
  Node n;
  n.hole = hole;
  n.max_span = hole.last - hole.start;
  n.priority = Mix(hole.start);
  if (!free_.empty()) {
    const int32_t i = free_.back();
    free_.pop_back();
    nodes_[i] = n;
    return i;
  }
  nodes_.push_back(n);
  return static_cast<int32_t>(nodes_.size() - 1);
}

void HoleTree::Pull(int32_t n) {
  Node& node = nodes_[n];
  node.max_span = node.hole.last - node.hole.start;
  if (node.left >= 0) node.max_span = std::max(node.max_span, nodes_[node.left].max_span);
  if (node.right >= 0) node.max_span = std::max(node.max_span, nodes_[node.right].max_span);
}

void HoleTree::Split(int32_t t, uint64_t key, int32_t* lo, int32_t* hi) {
  if (t < 0) {
    *lo = *hi = -1;
    return;
  }
  if (nodes_[t].hole.start < key) {
    Split(nodes_[t].right, key, &nodes_[t].right, hi);
    *lo = t;
  } else {
    Split(nodes_[t].left, key, lo, &nodes_[t].left);
    *hi = t;
  }
  Pull(t);
}

int32_t HoleTree::Merge(int32_t a, int32_t b) {
  if (a < 0) return b;
  if (b < 0) return a;
  if (nodes_[a].priority > nodes_[b].priority) {
    nodes_[a].right = Merge(nodes_[a].right, b);
    Pull(a);
    return a;
  }
  nodes_[b].left = Merge(a, nodes_[b].left);
  Pull(b);
  return b;
}

void HoleTree::Insert(const Hole& hole) {
  int32_t lo = -1, hi = -1;
  Split(root_, hole.start, &lo, &hi);
  root_ = Merge(Merge(lo, NewNode(hole)), hi);
  ++size_;
}

void HoleTree::Erase(uint64_t start) {
  int32_t lo = -1, rest = -1;
  Split(root_, start, &lo, &rest);
  // rest's lowest key is >= start; the node with exactly `start`, if any, is
  // its leftmost. Peel it off without a second split (start + 1 may wrap).
  int32_t parent = -1, n = rest;
  while (n >= 0 && nodes_[n].left >= 0) {
    parent = n;
    n = nodes_[n].left;
  }
  if (n >= 0 && nodes_[n].hole.start == start) {
    const int32_t replacement = nodes_[n].right;
    if (parent < 0) {
      rest = replacement;
    } else {
      nodes_[parent].left = replacement;
    }
    free_.push_back(n);
    --size_;
    // Re-derive the spans on the path from rest down to the old parent.
    absl::InlinedVector<int32_t, 32> path;  // a treap's depth: no allocation
    for (int32_t p = rest; p >= 0 && p != replacement; p = nodes_[p].left) path.push_back(p);
    for (auto it = path.rbegin(); it != path.rend(); ++it) Pull(*it);
  }
  root_ = Merge(lo, rest);
}

std::optional<Hole> HoleTree::AtOrBelow(uint64_t addr) const {
  std::optional<Hole> best;
  for (int32_t n = root_; n >= 0;) {
    if (nodes_[n].hole.start <= addr) {
      best = nodes_[n].hole;
      n = nodes_[n].right;
    } else {
      n = nodes_[n].left;
    }
  }
  return best;
}

std::optional<Hole> HoleTree::FirstWithSpan(uint64_t span) const {
  int32_t n = root_;
  if (n < 0 || nodes_[n].max_span < span) return std::nullopt;
  while (true) {
    const Node& node = nodes_[n];
    if (node.left >= 0 && nodes_[node.left].max_span >= span) {
      n = node.left;
    } else if (node.hole.last - node.hole.start >= span) {
      return node.hole;
    } else {
      n = node.right;  // its max_span must be >= span
    }
  }
}

}  // namespace iovacheck
