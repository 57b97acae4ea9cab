#include "translator/page_index.h"

namespace iovacheck {

bool PageIndex::Indexed(uint64_t start, uint64_t last) const {
  if (page_ == 0 || start % page_ != 0 || last < start) return false;
  // last + 1 may wrap to 0 at the top of the address space: then not aligned
  // by this test, and simply not indexed.
  if ((last + 1) % page_ != 0 || last + 1 == 0) return false;
  return (last - start) / page_ < kMaxPages;
}

void PageIndex::Add(const Mapping& m) {
  if (!Indexed(m.start, m.last)) return;
  for (uint64_t p = m.start / page_; p <= m.last / page_; ++p) pages_[p] = m;
}

void PageIndex::Remove(uint64_t start, uint64_t last) {
  if (!Indexed(start, last)) return;
  for (uint64_t p = start / page_; p <= last / page_; ++p) pages_.erase(p);
}

}  // namespace iovacheck
