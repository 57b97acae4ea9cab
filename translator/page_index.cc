#include "translator/page_index.h"

namespace iovacheck {

PageIndex::PageIndex(uint64_t page_size) : page_(page_size) {
  usable_ = page_ != 0 && (page_ & (page_ - 1)) == 0;
  while (usable_ && (uint64_t{1} << shift_) != page_) ++shift_;
}

bool PageIndex::Indexed(const Mapping& m) const {
  if (!usable_ || m.start % page_ != 0 || m.last < m.start) return false;
  // last + 1 may wrap to 0 at the top of the address space: then not indexed.
  if ((m.last + 1) % page_ != 0 || m.last + 1 == 0) return false;
  // The IOVA's page number must fit the 56 bits it is packed in.
  if (m.iova % page_ != 0 || (m.iova / page_) >> 56 != 0) return false;
  return (m.last - m.start) / page_ < kMaxPages;
}

void PageIndex::Add(const Mapping& m) {
  if (!Indexed(m)) return;
  const uint64_t first = m.start / page_;
  const uint64_t last = m.last / page_;
  for (uint64_t p = first; p <= last; ++p) {
    pages_[p] = ((m.iova / page_) << 8) | ((p - first) << 4) | (last - first);
  }
}

void PageIndex::Remove(uint64_t start, uint64_t last) {
  // As Add decided for this range: the IOVA does not change the answer
  // once Add indexed it, so ask with an aligned one.
  if (!Indexed({start, last, 0})) return;
  for (uint64_t p = start / page_; p <= last / page_; ++p) pages_.erase(p);
}

}  // namespace iovacheck
