// An allocator for large, randomly probed tables (the page index at a
// million mappings): blocks of 2 MiB or more are 2 MiB aligned and offered
// to the kernel for transparent huge pages (madvise, the Debian default), so
// that a random probe costs a cache miss but rarely also a TLB miss. Smaller
// blocks come from the usual heap. Where the kernel says no, the memory is
// still good, only in small pages.
#ifndef IOVACHECK_ALLOC_HUGE_PAGE_ALLOCATOR_H_
#define IOVACHECK_ALLOC_HUGE_PAGE_ALLOCATOR_H_

#include <cstddef>
#include <memory>
#include <new>

namespace iovacheck {

namespace huge_pages {
constexpr size_t kHugePage = size_t{2} << 20;
// At least `bytes`, 2 MiB aligned and advised for huge pages; nullptr when
// out of memory.
void* Allocate(size_t bytes);
void Free(void* p);
}  // namespace huge_pages

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: as std::allocator converts

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (bytes < huge_pages::kHugePage) return std::allocator<T>().allocate(n);
    void* p = huge_pages::Allocate(bytes);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < huge_pages::kHugePage) {
      std::allocator<T>().deallocate(p, n);
    } else {
      huge_pages::Free(p);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const {
    return false;
  }
};

}  // namespace iovacheck

#endif  // IOVACHECK_ALLOC_HUGE_PAGE_ALLOCATOR_H_
