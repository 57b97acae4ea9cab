// Scenario data shared by the translator tests: the facts file's aliasing
// table (q35 guest RAM plus the smram-open-high alias) and small helpers.
#ifndef IOVACHECK_TRANSLATOR_TRANSLATOR_TEST_UTIL_H_
#define IOVACHECK_TRANSLATOR_TRANSLATOR_TEST_UTIL_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "translator/translator.h"

namespace iovacheck {

inline GuestSection Section(uint64_t gpa, uint64_t size, uint64_t hva,
                            bool readonly = false) {
  GuestSection s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.readonly = readonly;
  return s;
}

// Low RAM, high RAM, and the alias whose HVA lies inside low RAM's.
inline GuestSection LowRam() {
  return Section(0x0, 0x80000000, 0x7f7903e00000);
}
inline GuestSection HighRam() {
  return Section(0x100000000, 0x1f80000000, 0x7f7983e00000);
}
inline GuestSection SmramAlias() {
  return Section(0xfeda0000, 0x20000, 0x7f7903ea0000);
}

inline Iovec GuestIovec(uint64_t gpa, uint64_t hva, uint64_t len) {
  Iovec v;
  v.gpa = gpa;
  v.hva = hva;
  v.len = len;
  v.has_gpa = true;
  return v;
}

inline Iovec HostIovec(uint64_t hva, uint64_t len) {
  Iovec v;
  v.hva = hva;
  v.len = len;
  return v;
}

inline std::vector<std::pair<uint64_t, uint64_t>> AllocationPairs(
    const Translator& t) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const IovaAllocation& a : t.Allocations()) out.push_back({a.iova, a.len});
  return out;
}

inline DeviceConfig ConfigWith(bool v2, bool batch) {
  DeviceConfig config;
  config.backend_features = uint64_t{1} << kFeatureIotlbAsid;
  if (v2) config.backend_features |= uint64_t{1} << kFeatureIotlbMsgV2;
  if (batch) config.backend_features |= uint64_t{1} << kFeatureIotlbBatch;
  return config;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_TRANSLATOR_TEST_UTIL_H_
