// The seed (and device) property tests run with: fixed, so `bazel test` is reproducible,
// and overridable with IOVACHECK_SEED to explore. Printed on every failure.
#ifndef IOVACHECK_PROPS_TEST_SEED_H_
#define IOVACHECK_PROPS_TEST_SEED_H_

#include <cstdint>
#include <cstdlib>
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

// How many cases a passing property test runs: `normal`, unless
// IOVACHECK_TEST_CASES gives another positive count (--config=sanitize sets
// it lower: the same properties, fewer cases, so that the whole suite runs
// under ASan+UBSan within CI's budget). Tests that must find a bug keep
// their own count.
inline int TestCases(int normal) {
  const char* env = std::getenv("IOVACHECK_TEST_CASES");
  if (env == nullptr || *env == '\0') return normal;
  const int n = std::atoi(env);
  return n > 0 ? n : normal;
}

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_TEST_SEED_H_
