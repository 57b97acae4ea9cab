// The seed (and device) property tests run with: fixed, so `bazel test` is reproducible,
// and overridable with IOVACHECK_SEED to explore. Printed on every failure.
#ifndef IOVACHECK_PROPS_TEST_SEED_H_
#define IOVACHECK_PROPS_TEST_SEED_H_

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "props/property_runner.h"

namespace iovacheck {

inline uint64_t TestSeed() {
  const char* env = std::getenv("IOVACHECK_SEED");
  return env != nullptr ? std::stoull(env, nullptr, 0) : kDefaultSeed;
}

// The device property tests run against: "emulated" unless IOVACHECK_DEVICE
// names another (a second Bazel target runs them against linux-6.12).
inline std::string TestDevice() {
  const char* env = std::getenv("IOVACHECK_DEVICE");
  return env != nullptr ? env : "emulated";
}

// How much a passing test does (cases, messages, steps): `normal`, scaled by
// IOVACHECK_TEST_SCALE, a percentage (--config=sanitize sets 10: the same
// properties and seeds, a tenth of the work, so that the whole suite runs
// under ASan+UBSan within CI's budget). Never below 1. Tests that must find
// a bug keep their own count.
inline int64_t TestCases(int64_t normal) {
  const char* env = std::getenv("IOVACHECK_TEST_SCALE");
  if (env == nullptr || *env == '\0') return normal;
  const long long percent = std::atoll(env);
  if (percent <= 0) return normal;
  const int64_t scaled = normal * percent / 100;
  return scaled > 0 ? scaled : 1;
}

// A property's own cases as TestCases scales them; unset when no scale
// applies, so that the run says they are the property's.
inline std::optional<int> ScaledCases(int declared) {
  const int64_t scaled = TestCases(declared);
  return scaled == declared ? std::nullopt : std::optional<int>(static_cast<int>(scaled));
}

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_TEST_SEED_H_
