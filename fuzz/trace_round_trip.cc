#include "fuzz/trace_round_trip.h"

#include <cstdio>

#include "fuzz/fuzz_target.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "traces/replay.h"
#include "traces/trace_io.h"
#include "traces/utf8.h"

namespace iovacheck {
namespace {

constexpr uint32_t kReplayMaxAddressSpaces = 16;

// Two traces are equal when their deterministic serializations are (the
// schema has no maps, so field order is fixed). Much cheaper than the
// reflection of MessageDifferencer, which took a quarter of every input.
std::string Canonical(const trace::Trace& trace) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    trace.SerializeToCodedStream(&out);
  }
  return bytes;
}

void ExpectReadsBack(const trace::Trace& trace, const std::string& path) {
  if (absl::Status s = WriteWholeTrace(path, trace); !s.ok()) {
    FuzzFinding("a trace that was read cannot be written: " + std::string(s.message()));
  }
  absl::StatusOr<trace::Trace> back = ReadWholeTrace(path);
  if (!back.ok()) {
    FuzzFinding("a trace written does not read back: " + std::string(back.status().message()));
  }
  if (Canonical(*back) != Canonical(trace)) {
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
  // a kernel child per input), short and on a device of a few address
  // spaces: one of 65536 (the most a header may name) sets up 131072
  // passthrough entries, twice, which made the odd mutant cost a thousand
  // ordinary ones. Those limits spend the fuzzer's time on many small
  // replays; reading and writing back still see every trace.
  if (trace->events_size() > 200) return;
  if (trace->header().device().num_address_spaces() > kReplayMaxAddressSpaces) return;
  for (bool recorded : {false, true}) {
    ReplayOptions options;
    options.recorded = recorded;
    options.device = "emulated";
    ReplayTrace(path, options);
  }
}

}  // namespace iovacheck
