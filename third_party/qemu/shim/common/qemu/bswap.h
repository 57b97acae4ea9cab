/* iovacheck's stand-in for QEMU's "qemu/bswap.h" (ours): QEMU's own
 * qemu/int128.h includes it for bswap64 only. */
#ifndef IOVACHECK_QEMU_SHIM_BSWAP_H
#define IOVACHECK_QEMU_SHIM_BSWAP_H
#include <stdint.h>
static inline uint64_t bswap64(uint64_t x) { return __builtin_bswap64(x); }
#endif
