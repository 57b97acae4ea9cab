#include "tools/replay_command.h"

#include <iostream>

#include "absl/strings/str_format.h"
#include "traces/replay.h"

namespace iovacheck {

int RunReplay(const std::string& path, const std::string& translator, bool recorded,
              std::optional<bool> strict, const std::string& device) {
  ReplayOptions options;
  options.device = device;
  options.translator = translator;
  options.recorded = recorded;
  options.strict = strict;
  const ReplayResult result = ReplayTrace(path, options);
  switch (result.verdict) {
    case ReplayVerdict::kPass:
      std::cout << absl::StrFormat("PASS %s: %u events%s\n", path, result.events,
                                   device.empty() ? "" : " on " + device);
      break;
    case ReplayVerdict::kFail:
      std::cout << result.report << std::flush;
      break;
    case ReplayVerdict::kBadInput:
      // One line, on stderr like every other usage error.
      std::cerr << "iovacheck replay: " << result.report << "\n";
      break;
  }
  return ReplayExitCode(result.verdict);
}

}  // namespace iovacheck
