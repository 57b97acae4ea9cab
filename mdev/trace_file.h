// mdev runs as traces (format version 3, domain "vfio-mdev"): written by
// `iovacheck mdev` for a failing seed and its shrunk run, read back and
// replayed by `iovacheck replay` and the regression tests, which check the
// header's expectations (one per tracker: PASS, or FAIL by a rule at an
// event).
#ifndef IOVACHECK_MDEV_TRACE_FILE_H_
#define IOVACHECK_MDEV_TRACE_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mdev/event.h"
#include "mdev/harness.h"
#include "traces/trace.pb.h"

namespace iovacheck {

trace::Event MdevEventToProto(const MdevEvent& event);
// InvalidArgument for an event that is not an mdev event.
absl::StatusOr<MdevEvent> MdevEventFromProto(const trace::Event& event);

struct MdevTrace {
  trace::Header header;
  std::vector<MdevEvent> events;
};

// A header for an mdev run of `seed`, expecting `tracker` to fail as
// `divergence` says (or to pass).
trace::Header MdevHeader(uint64_t seed, const std::string& tracker,
                         const std::optional<MdevDivergence>& divergence,
                         const std::string& source);

absl::Status WriteMdevTrace(const std::string& path, const MdevTrace& trace);
// InvalidArgument naming the file and the event for a trace of another
// domain or an event that is not an mdev event.
absl::StatusOr<MdevTrace> ReadMdevTrace(const std::string& path);

// Replays the trace against each tracker its header expects something of:
// the expectations that do not hold, one line each (empty: all hold).
// NotFound for an expectation naming no tracker.
absl::StatusOr<std::vector<std::string>> CheckMdevExpectations(const MdevTrace& trace);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_TRACE_FILE_H_
