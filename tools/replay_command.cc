#include "tools/replay_command.h"

#include <iostream>

#include "absl/strings/str_format.h"
#include "maps/trace_map.h"
#include "mdev/trace_file.h"
#include "traces/output_file.h"
#include "traces/replay.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

// A trace of the mdev domain: replayed against a vendor driver's tracker,
// --tracker or the one that produced it.
int ReplayMdev(const std::string& path, const std::string& tracker_flag) {
  absl::StatusOr<MdevTrace> t = ReadMdevTrace(path);
  if (!t.ok()) {
    std::cerr << "iovacheck replay: " << t.status().message() << "\n";
    return 2;
  }
  const std::string tracker =
      tracker_flag.empty() ? t->header.producer().translator() : tracker_flag;
  if (tracker.empty()) {
    std::cerr << "iovacheck replay: " << path
              << ": an mdev trace naming no tracker: give --tracker\n";
    return 2;
  }
  absl::StatusOr<std::optional<MdevDivergence>> d = RunMdevEvents(tracker, t->events);
  if (!d.ok()) {
    std::cerr << "iovacheck replay: " << d.status().message() << "\n";
    return 2;
  }
  if (!d->has_value()) {
    std::cout << absl::StrFormat("PASS %s: %u events, tracker %s\n", path, t->events.size(),
                                 tracker);
    return 0;
  }
  std::cout << absl::StrFormat("FAIL %s, tracker %s: %s\n", path, tracker,
                               MdevDivergenceToString(**d, t->events[(*d)->event_index]));
  return 1;
}

}  // namespace

int RunReplay(const std::string& path, const std::string& translator, bool recorded,
              std::optional<bool> strict, const std::string& device,
              const std::string& tracker) {
  if (absl::StatusOr<std::unique_ptr<TraceReader>> r = TraceReader::Open(path);
      r.ok() && (*r)->header().domain() == kMdevDomain) {
    return ReplayMdev(path, tracker);
  }
  ReplayOptions options;
  options.device = device;
  options.translator = translator;
  options.recorded = recorded;
  options.strict = strict;
  const MappedReplay mapped = ReplayAndMap(path, options, /*only_divergence=*/true);
  const ReplayResult& result = mapped.result;
  switch (result.verdict) {
    case ReplayVerdict::kPass:
      std::cout << absl::StrFormat("PASS %s: %u events%s\n", path, result.events,
                                   device.empty() ? "" : " on " + device);
      break;
    case ReplayVerdict::kFail:
      std::cout << result.report;
      // The picture of the divergence, beside the trace.
      if (mapped.svg) {
        const std::string map_path = MapPathBeside(path);
        const absl::Status written = WriteOutputFile(map_path, *mapped.svg);
        std::cout << (written.ok() ? "  map: " + map_path
                                   : "  map: not written: " + std::string(written.message()))
                  << "\n";
      }
      std::cout << std::flush;
      break;
    case ReplayVerdict::kBadInput:
      // One line, on stderr like every other usage error.
      std::cerr << "iovacheck replay: " << result.report << "\n";
      break;
  }
  return ReplayExitCode(result.verdict);
}

}  // namespace iovacheck
