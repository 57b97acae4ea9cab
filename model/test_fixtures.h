// Builders and the facts-table sections shared by the model's tests.
#ifndef IOVACHECK_MODEL_TEST_FIXTURES_H_
#define IOVACHECK_MODEL_TEST_FIXTURES_H_

#include <cstdint>

#include "model/guest_memory.h"
#include "model/host_buffers.h"
#include "model/iovec.h"

namespace iovacheck {

inline Section S(uint64_t gpa, uint64_t size, uint64_t hva, const char* name,
                 bool readonly = false, bool ram = true) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.readonly = readonly;
  s.ram = ram;
  s.name = name;
  return s;
}

inline HostBuffer B(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid,
                    const char* name) {
  HostBuffer b;
  b.hva = hva;
  b.size = size;
  b.perm = perm;
  b.asid = asid;
  b.name = name;
  return b;
}

// A guest buffer element (it has a GPA).
inline Iovec GuestIov(uint64_t gpa, uint64_t len, bool device_writes = false) {
  Iovec v;
  v.gpa = gpa;
  v.len = len;
  v.has_gpa = true;
  v.device_writes = device_writes;
  return v;
}

// The same, with the HVA QEMU mapped the GPA at. A separate name, so that a
// direction flag can never be taken for an address.
inline Iovec GuestIovAt(uint64_t gpa, uint64_t len, uint64_t hva) {
  Iovec v = GuestIov(gpa, len);
  v.hva = hva;
  return v;
}

// A host-only buffer element (no GPA).
inline Iovec HostIov(uint64_t hva, uint64_t len, bool device_writes = false) {
  Iovec v;
  v.hva = hva;
  v.len = len;
  v.device_writes = device_writes;
  return v;
}

// Domain facts, section 2: low RAM, high RAM, and the alias inside low RAM.
inline const Section kFactsLow = S(0x0, 0x80000000, 0x7f7903e00000, "pc.ram-low");
inline const Section kFactsHigh =
    S(0x100000000, 0x1f80000000, 0x7f7983e00000, "pc.ram-high");
inline const Section kFactsSmram =
    S(0xfeda0000, 0x20000, 0x7f7903ea0000, "smram-open-high");

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_TEST_FIXTURES_H_
