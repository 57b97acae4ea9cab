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

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_TEST_SEED_H_
