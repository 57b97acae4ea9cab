// Per-property settings: each property declares how many cases it runs, how
// long its generated sequences may grow and which device kind it generates;
// a caller (a test scaling its work, `iovacheck check`) and the environment
// override them, and every run prints what it ended up with and why.
//
// Precedence, lowest first: the property's own, the caller's defaults (a
// test's TestCases()), IOVACHECK_CASES / IOVACHECK_MAX_LENGTH /
// IOVACHECK_DEVICE_KIND / IOVACHECK_FEATURES, the command line (--cases,
// --max_length, --device_kind, --features). `bazel test
// --test_env=IOVACHECK_CASES=20000` thus raises every property test's cases
// without touching a file.
#ifndef IOVACHECK_PROPS_PROPERTY_SETTINGS_H_
#define IOVACHECK_PROPS_PROPERTY_SETTINGS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "model/device_config.h"

namespace iovacheck {

struct PropertySettings {
  int cases = 2000;
  int max_length = 200;            // RapidCheck's size: up to ~this many commands
  std::optional<DeviceKind> kind;  // nullopt: either, as generated
  // The backend features a generated device may offer (and the translator
  // then acks): the rest are masked off.
  uint64_t features = kAllFeatures;
};

// One layer of overrides; unset fields leave the layer below alone.
struct SettingsLayer {
  std::optional<int> cases;
  std::optional<int> max_length;
  std::optional<std::string> device_kind;  // "dma_map", "set_map" or "any"
  std::optional<std::string> features;     // ParseFeatures: "v2,batch", "all"
};

struct EffectiveSettings {
  PropertySettings value;
  // Where each came from: "property", "test", "IOVACHECK_CASES", "--cases".
  std::string cases_from = "property";
  std::string max_length_from = "property";
  std::string kind_from = "property";
  std::string features_from = "property";
};

// The environment as the resolution reads it (tests pass their own).
using GetEnv = std::function<const char*(const char*)>;
GetEnv ProcessEnv();

// InvalidArgument naming the variable or flag for a value that is not a
// positive number or a device kind.
absl::StatusOr<EffectiveSettings> ResolveSettings(const PropertySettings& declared,
                                                  const SettingsLayer& caller,
                                                  const SettingsLayer& command_line,
                                                  const GetEnv& env = ProcessEnv());

// "cases 2000 (property), max length 200 (IOVACHECK_MAX_LENGTH), device kind
// dma_map (property), features v2,batch,asid,persist (property)"
std::string FormatSettings(const EffectiveSettings& settings);

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_PROPERTY_SETTINGS_H_
