// Live heap bytes of this process, counted by a replacement of the global
// operator new and delete (counting_allocator.cc), with the sizes malloc
// really handed out (malloc_usable_size), so rounding counts. Only the
// benchmark binaries that measure memory link it.
#ifndef IOVACHECK_BENCH_COUNTING_ALLOCATOR_H_
#define IOVACHECK_BENCH_COUNTING_ALLOCATOR_H_

#include <cstdint>

namespace iovacheck {

int64_t LiveHeapBytes();

}  // namespace iovacheck

#endif  // IOVACHECK_BENCH_COUNTING_ALLOCATOR_H_
