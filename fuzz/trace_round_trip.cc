#include "fuzz/trace_round_trip.h"

#include <cstdio>

#include "fuzz/fuzz_target.h"
#include "google/protobuf/util/message_differencer.h"
#include "traces/replay.h"
#include "traces/trace_io.h"
#include "traces/utf8.h"

namespace iovacheck {
namespace {

void ExpectReadsBack(const trace::Trace& trace, const std::string& path) {
  if (absl::Status s = WriteWholeTrace(path, trace); !s.ok()) {
    FuzzFinding("a trace that was read cannot be written: " + std::string(s.message()));
  }
  absl::StatusOr<trace::Trace> back = ReadWholeTrace(path);
  if (!back.ok()) {
    FuzzFinding("a trace written does not read back: " + std::string(back.status().message()));
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(*back, trace)) {
    FuzzFinding("a trace read back differs from what was written to " + path);
  }
  std::remove(path.c_str());
}

}  // namespace

void CheckTraceFile(const std::string& path) {
  absl::StatusOr<trace::Trace> trace = ReadWholeTrace(path);
  if (!trace.ok()) return;  // refused cleanly
  ExpectReadsBack(*trace, FuzzScratchPath("-back.trace"));
  if (!HasUnknownFields(*trace)) ExpectReadsBack(*trace, FuzzScratchPath("-back.textproto"));
  // Replays stay on the emulation (a header naming Linux's code would fork
  // a kernel child per input) and short.
  if (trace->events_size() > 200) return;
  for (bool recorded : {false, true}) {
    ReplayOptions options;
    options.recorded = recorded;
    options.device = "emulated";
    ReplayTrace(path, options);
  }
}

}  // namespace iovacheck
