// A hash from page number to the small mapping holding that page: what lets
// a translation at hundreds of thousands of live mappings (a vIOMMU maps
// page by page; virtio-mem and DIMMs add thousands of sections) cost one
// probe instead of a B-tree walk whose every level misses the cache. Only
// page-aligned mappings of at most kMaxPages pages are indexed (aligned
// mappings never share a page, and small ones cost few entries); a lookup
// that misses falls back to the ordered map, which stays the truth.
#ifndef IOVACHECK_TRANSLATOR_PAGE_INDEX_H_
#define IOVACHECK_TRANSLATOR_PAGE_INDEX_H_

#include <cstdint>

#include "absl/container/flat_hash_map.h"

namespace iovacheck {

class PageIndex {
 public:
  static constexpr uint64_t kMaxPages = 16;

  struct Mapping {
    uint64_t start = 0;
    uint64_t last = 0;  // inclusive
    uint64_t iova = 0;  // of start
  };

  explicit PageIndex(uint64_t page_size) : page_(page_size) {}

  // Indexes [start, last] when it is small and page aligned; otherwise
  // does nothing (lookups in it then miss).
  void Add(const Mapping& m);
  // Forgets [start, last], as Add indexed it.
  void Remove(uint64_t start, uint64_t last);

  // The indexed mapping holding addr, or null.
  const Mapping* Find(uint64_t addr) const {
    auto it = pages_.find(addr / page_);
    return it == pages_.end() ? nullptr : &it->second;
  }

 private:
  bool Indexed(uint64_t start, uint64_t last) const;

  uint64_t page_;
  absl::flat_hash_map<uint64_t, Mapping> pages_;  // page number -> mapping
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PAGE_INDEX_H_
