// The sections (or host buffers) a compact trace's context keeps, by
// address: the live ones, and the last one removed from each address (a
// flat view re-rendered removes and adds the same sections, which the codec
// then names as "known").
//
// Each message lives in an allocation of its own that moves between the
// live map, the removed map and a few spares without being copied or
// freed: copying protobuf messages in and out of maps (a message, a name
// buffer, and a B-tree shifting messages about) was most of what keeping
// the context cost a replay.
#ifndef IOVACHECK_TRACES_KEPT_MESSAGES_H_
#define IOVACHECK_TRACES_KEPT_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"

namespace iovacheck {

template <typename Message>
class KeptMessages {
 public:
  // `max_removed`: what is kept of the removed is bounded, so that memory
  // follows the live mappings (emptied whole when full, on both sides of a
  // codec alike).
  explicit KeptMessages(size_t max_removed) : max_removed_(max_removed) {}

  const Message* Live(uint64_t key) const { return Find(live_, key); }
  const Message* Removed(uint64_t key) const { return Find(removed_, key); }

  // The live message whose [key, key + size()) holds addr.
  const Message* Holding(uint64_t addr) const {
    auto it = live_.upper_bound(addr);
    if (it == live_.begin()) return nullptr;
    --it;
    return addr - it->first < it->second->size() ? it->second.get() : nullptr;
  }

  // A copy of m becomes the live one at key (replacing any).
  void Add(uint64_t key, const Message& m) {
    std::unique_ptr<Message>& slot = live_[key];
    if (slot == nullptr) slot = Spare();
    *slot = m;  // into a spare's buffers: no allocation once warm
  }

  // The live one at key becomes the removed one there; null if none was
  // live. The pointer stays valid until the next call that changes this.
  const Message* Remove(uint64_t key) {
    auto it = live_.find(key);
    if (it == live_.end()) return nullptr;
    if (removed_.size() >= max_removed_) {
      for (auto& [k, m] : removed_) Recycle(std::move(m));
      removed_.clear();
    }
    std::unique_ptr<Message>& slot = removed_[key];
    if (slot != nullptr) Recycle(std::move(slot));
    slot = std::move(it->second);
    live_.erase(it);
    return slot.get();
  }

 private:
  // Enough for a flat view's worth of churn; beyond, spares are freed.
  static constexpr size_t kMaxSpares = 64;

  template <typename Map>
  static const Message* Find(const Map& map, uint64_t key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : it->second.get();
  }

  std::unique_ptr<Message> Spare() {
    if (spares_.empty()) return std::make_unique<Message>();
    std::unique_ptr<Message> m = std::move(spares_.back());
    spares_.pop_back();
    return m;
  }

  void Recycle(std::unique_ptr<Message> m) {
    if (m != nullptr && spares_.size() < kMaxSpares) spares_.push_back(std::move(m));
  }

  size_t max_removed_;
  absl::btree_map<uint64_t, std::unique_ptr<Message>> live_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Message>> removed_;
  std::vector<std::unique_ptr<Message>> spares_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_KEPT_MESSAGES_H_
