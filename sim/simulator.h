// One deterministic simulation run: a scenario drives the chosen translator
// and the emulated device for N lifecycle steps from a seed, with the fault
// sites the seed enables, and the oracle checks every event. Same seed, same
// events, same trace bytes.
#ifndef IOVACHECK_SIM_SIMULATOR_H_
#define IOVACHECK_SIM_SIMULATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coverage/coverage.h"
#include "model/divergence.h"

namespace iovacheck {

struct SimulationOptions {
  std::string scenario;                  // a FindScenario name
  uint64_t seed = 0;
  uint64_t steps = 200;                  // lifecycle steps
  std::string translator = "decoupled";  // a FindTranslator name
  std::string device = "emulated";       // DeviceNames(): the device that runs
  bool faults = true;                    // let the seed enable fault sites
  std::string trace_path;                // when set, the run's trace is written there
  // Also sweep every live mapping after every event (HarnessOptions): a run
  // where the incremental oracle and the sweep disagree is an error, a bug
  // of iovacheck's own.
  bool full_oracle = false;
  // Count what the run exercised (coverage/coverage.h) into the result.
  bool coverage = false;
};

enum class SimulationVerdict {
  kPass,
  kFail,   // a divergence: a bug in the translator
  kError,  // bad options, or a scenario produced events the model refuses
};

struct SimulationResult {
  SimulationVerdict verdict = SimulationVerdict::kPass;
  std::optional<Divergence> divergence;
  uint64_t event_index = 0;  // of the divergence
  uint64_t events = 0;       // events applied
  uint64_t oracle_disagreements = 0;  // with full_oracle (see above)
  std::vector<std::string> faults_enabled;
  std::vector<std::string> faults_fired;  // site names, in firing order, deduplicated
  std::string report;  // one paragraph: verdict, divergence, where the trace went
  std::string trace_written;  // path, when a trace was written
  Coverage coverage;          // with SimulationOptions::coverage
};

// Writes a trace only when options.trace_path is set: a caller that wants a
// failure's trace runs the seed again with a path (the run is deterministic).
SimulationResult RunSimulation(const SimulationOptions& options);

// "<scenario>-seed<S>-<translator>.trace", where `simulate` keeps a failure's
// trace when no -o was given.
std::string DefaultTracePath(const SimulationOptions& options);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SIMULATOR_H_
