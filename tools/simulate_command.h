// `iovacheck simulate --scenario=NAME --seed=S --steps=N [--translator=T]
// [-o TRACE] [--faults=true|false]`: one deterministic simulation run
// (sim/simulator.h). Prints the run's report; a failure's trace is written to
// -o, or else to SCENARIO-seedS-T.trace in the current directory.
#ifndef IOVACHECK_TOOLS_SIMULATE_COMMAND_H_
#define IOVACHECK_TOOLS_SIMULATE_COMMAND_H_

#include <cstdint>
#include <string>

#include "tools/coverage_output.h"

namespace iovacheck {

struct SimulateCommand {
  std::string scenario;  // empty: the default (first) scenario
  uint64_t seed = 0;
  uint64_t steps = 200;
  std::string translator = "decoupled";
  std::string device = "emulated";  // DeviceNames()
  std::string output;    // -o
  bool faults = true;
  bool full_oracle = false;  // SimulationOptions::full_oracle
  CoverageOutput coverage;   // what the run exercised
};

// Exit status: 0 the run passed, 1 a divergence (a bug found), 2 bad
// arguments or an error (an unknown name, a scenario producing input the
// model refuses, a trace that could not be written).
int RunSimulate(const SimulateCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_SIMULATE_COMMAND_H_
