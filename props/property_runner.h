// Runs the state-machine properties against one translator outside any test
// framework, so that `bazel test` and `iovacheck check` share them. A failure
// carries RapidCheck's shrunk counterexample as a replayable event log.
#ifndef IOVACHECK_PROPS_PROPERTY_RUNNER_H_
#define IOVACHECK_PROPS_PROPERTY_RUNNER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "coverage/coverage.h"
#include "props/property_settings.h"
#include "model/device_config.h"
#include "model/divergence.h"
#include "sim/harness.h"
#include "translator/translator.h"

namespace iovacheck {

struct PropertySpec {
  std::string name;
  std::string summary;
  bool strict = false;
  // Its own cases, sequence length and device kind (property_settings.h).
  PropertySettings settings;
};

// The properties every translator is held to.
std::vector<PropertySpec> AllProperties();
// The one of them named `name`, or nullopt.
std::optional<PropertySpec> FindProperty(const std::string& name);

// The seed everything uses unless told otherwise, so runs are reproducible.
inline constexpr uint64_t kDefaultSeed = 20261121;

struct RunOptions {
  // The backend features the translator acks (registry.h): the generated
  // devices' features are masked with it.
  uint64_t acked_features = ~uint64_t{0};
  // Over the property's own settings: the caller's (a test scaling its
  // work), then IOVACHECK_* from the environment, then the command line's.
  SettingsLayer caller;
  SettingsLayer command_line;
  bool print_settings = true;  // a line on stdout before the run
  uint64_t seed = kDefaultSeed;
  std::string reproduce;  // RapidCheck's reproduce string, when replaying one
  std::string device = "emulated";  // DeviceNames(): which device runs
  // Also sweep every live mapping after every event, and fail a case where
  // the incremental oracle and the sweep disagree (HarnessOptions).
  bool full_oracle = false;
  // Count what the generated cases exercised (coverage/coverage.h) into
  // the outcome; the shrinker's calls after a failure are not counted.
  bool coverage = false;
  // The devices the translator claims to serve; others are not generated
  // (RapidCheck draws again). A translator without the vIOMMU notifier (the
  // example plug-in) leaves out config.viommu; the SVQ window, IOVA ranges
  // too small for it. Unset: every device.
  std::function<bool(const DeviceConfig&)> serves;
};

struct PropertyFailure {
  DeviceConfig config;
  std::vector<StepRecord> log;  // every event up to the divergence
  Divergence divergence;
  size_t divergence_index = 0;
  size_t commands = 0;          // commands in the shrunk sequence that ran
  bool strict = false;
};

struct PropertyOutcome {
  std::string property;
  bool passed = false;
  int cases = 0;       // cases that passed before the failure, or in all
  uint64_t seed = 0;
  std::string message;    // RapidCheck's own description when it failed
  std::string reproduce;  // pass back through RunOptions.reproduce
  std::optional<PropertyFailure> failure;
  Coverage coverage;  // with RunOptions::coverage
  EffectiveSettings settings;  // what the run used
};

PropertyOutcome RunProperty(const PropertySpec& spec, const TranslatorFactory& factory,
                            const RunOptions& options);

// Verdict line, and for a failure the seed, the reproduce string and the
// minimal failing sequence, one event per line.
std::string FormatOutcome(const PropertyOutcome& outcome);

// True when two sections added in the failure's events share HVA.
bool InvolvesAliasing(const PropertyFailure& failure);

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_PROPERTY_RUNNER_H_
