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
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "alloc/huge_page_allocator.h"

namespace iovacheck {

class PageIndex {
 public:
  static constexpr uint64_t kMaxPages = 16;

  struct Mapping {
    uint64_t start = 0;
    uint64_t last = 0;  // inclusive
    uint64_t iova = 0;  // of start
  };

  // Pages must be a power of two (they always are); otherwise nothing is
  // indexed and every lookup goes to the ordered map.
  explicit PageIndex(uint64_t page_size);

  // Indexes [start, last] when it is small and page aligned; otherwise
  // does nothing (lookups in it then miss).
  void Add(const Mapping& m);
  // Forgets [start, last], as Add indexed it.
  void Remove(uint64_t start, uint64_t last);

  // The indexed mapping holding addr, or nothing.
  std::optional<Mapping> Find(uint64_t addr) const {
    const uint64_t page = addr >> shift_;
    auto it = pages_.find(page);
    if (it == pages_.end()) return std::nullopt;
    // Packed as Add packs it: the IOVA's page number, then which page of the
    // mapping this is, then its pages less one, four bits each.
    const uint64_t first = page - ((it->second >> 4) & 0xf);
    const uint64_t pages = (it->second & 0xf) + 1;
    return Mapping{first << shift_, ((first + pages) << shift_) - 1,
                   (it->second >> 8) << shift_};
  }

 private:
  bool Indexed(const Mapping& m) const;

  uint64_t page_;
  int shift_ = 0;  // log2(page_)
  bool usable_ = false;  // page_ is a power of two
  // Page number -> the mapping, in 8 bytes (a table a quarter the size
  // misses the cache and the TLB less at a million mappings).
  // Its slots sit in huge pages once the table passes 2 MiB.
  absl::flat_hash_map<uint64_t, uint64_t, absl::Hash<uint64_t>, std::equal_to<uint64_t>,
                      HugePageAllocator<std::pair<const uint64_t, uint64_t>>>
      pages_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PAGE_INDEX_H_
