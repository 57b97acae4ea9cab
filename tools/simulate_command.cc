#include "tools/simulate_command.h"

#include <iostream>
#include <sstream>

#include "maps/trace_map.h"
#include "sim/simulator.h"

namespace iovacheck {

int RunSimulate(const SimulateCommand& command) {
  if (command.translator.find(',') != std::string::npos) {
    std::cerr << "iovacheck simulate: one translator per run, not '" << command.translator
              << "'\n";
    return 2;
  }
  if (command.steps == 0) {
    std::cerr << "iovacheck simulate: --steps must be at least 1\n";
    return 2;
  }
  SimulationOptions options;
  options.scenario = command.scenario;
  options.seed = command.seed;
  options.steps = command.steps;
  options.translator = command.translator;
  options.device = command.device;
  options.faults = command.faults;
  options.full_oracle = command.full_oracle;
  options.trace_path = command.output;
  options.coverage = command.coverage.wanted();
  SimulationResult result = RunSimulation(options);
  if (result.verdict == SimulationVerdict::kFail && options.trace_path.empty()) {
    // A failure deserves its trace: the run is deterministic, so the same
    // seed run again with a path records exactly the same events.
    options.trace_path = DefaultTracePath(options);
    SimulationResult again = RunSimulation(options);
    if (again.verdict != result.verdict || again.event_index != result.event_index) {
      std::cerr << "iovacheck simulate: NOT DETERMINISTIC: the rerun that writes "
                << options.trace_path << " ended differently:\n"
                << again.report << "\n";
      return 2;
    }
    result = std::move(again);
  }
  if (result.verdict != SimulationVerdict::kError) {
    // After the verdict's paragraph, whatever it says.
    std::ostringstream coverage;
    if (absl::Status s = EmitCoverage(result.coverage, command.coverage, coverage); !s.ok()) {
      std::cerr << "iovacheck simulate: " << s.message() << "\n";
      return 2;
    }
    result.report += coverage.str().empty() ? "" : "\n" + coverage.str();
    if (!result.report.empty() && result.report.back() == '\n') result.report.pop_back();
  }
  switch (result.verdict) {
    case SimulationVerdict::kPass:
      std::cout << result.report << "\n";
      return 0;
    case SimulationVerdict::kFail:
      std::cout << result.report << "\n";
      if (!result.trace_written.empty()) {
        ReplayOptions replay;
        replay.translator = command.translator;
        replay.device = command.device;
        absl::StatusOr<std::string> map = WriteMapBeside(result.trace_written, replay);
        std::cout << (map.ok() ? "  map: " + *map
                               : "  map: not written: " + std::string(map.status().message()))
                  << "\n";
        std::cout << "  replay: iovacheck replay " << result.trace_written
                  << " --translator=" << command.translator << "\n"
                  << "  shrink: iovacheck shrink " << result.trace_written
                  << " -o MINIMAL.textproto\n";
      }
      return 1;
    case SimulationVerdict::kError:
      break;
  }
  std::cerr << "iovacheck simulate: " << result.report << "\n";
  return 2;
}

}  // namespace iovacheck
