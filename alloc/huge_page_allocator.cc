#include "alloc/huge_page_allocator.h"

#include <sys/mman.h>

#include <cstdlib>

namespace iovacheck::huge_pages {

void* Allocate(size_t bytes) {
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  // Advice only: a kernel without transparent huge pages refuses it and the
  // block works as it is.
  if (p != nullptr) madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void Free(void* p) { std::free(p); }

}  // namespace iovacheck::huge_pages
