// A hash from 4 KiB page number to the one value that covers the whole page:
// the reference model's and the emulated device's shortcut past their
// ordered maps. At a million live sections or IOTLB entries a B-tree walk
// misses the cache (and, in a VM, the TLB) at every one of its seven or eight
// levels; a probe here misses about twice. Only ranges that start and end
// on a 4 KiB boundary and span at most kMaxPages pages are indexed: the
// owner's ranges are disjoint, so such a page belongs to that range alone,
// and a small range costs few slots. Everything else (and every page this
// does not hold) is looked up in the owner's map, which stays the truth.
//
// translator/page_index.h does the like for decoupled, packed for its own
// use; the model keeps its own so that a slip in one cannot hide in both.
//
// The page is a fixed 4 KiB whatever the guest's or the host's page size:
// it is only the key's granularity, and every size in use is a multiple.
#ifndef IOVACHECK_MODEL_PAGE_LOOKUP_H_
#define IOVACHECK_MODEL_PAGE_LOOKUP_H_

#include <cstdint>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "alloc/huge_page_allocator.h"

namespace iovacheck {

template <typename V>
class PageLookup {
 public:
  static constexpr uint64_t kPageSize = 0x1000;
  static constexpr uint64_t kMaxPages = 4;

  // Whether [first, last] is indexed. `last` is inclusive, so a range that
  // ends at 2^64 - 1 is expressible.
  static bool Indexed(uint64_t first, uint64_t last) {
    return last >= first && first % kPageSize == 0 && last % kPageSize == kPageSize - 1 &&
           (last - first) / kPageSize < kMaxPages;
  }

  // Indexes [first, last] -> value when Indexed; otherwise does nothing.
  // The owner keeps its ranges disjoint, so no page is claimed twice.
  void Add(uint64_t first, uint64_t last, const V& value) {
    if (!Indexed(first, last)) return;
    for (uint64_t p = first / kPageSize; p <= last / kPageSize; ++p) pages_.insert_or_assign(p, value);
  }

  // Forgets [first, last], as Add indexed it.
  void Remove(uint64_t first, uint64_t last) {
    if (!Indexed(first, last)) return;
    for (uint64_t p = first / kPageSize; p <= last / kPageSize; ++p) pages_.erase(p);
  }

  // The value whose range holds addr, if that range is indexed; else null.
  // Valid until the next Add.
  const V* Find(uint64_t addr) const {
    if (pages_.empty()) return nullptr;
    auto it = pages_.find(addr / kPageSize);
    return it == pages_.end() ? nullptr : &it->second;
  }

  void Clear() { pages_.clear(); }

 private:
  // Its slots sit in huge pages once the table passes 2 MiB.
  absl::flat_hash_map<uint64_t, V, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, V>>>
      pages_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_PAGE_LOOKUP_H_
