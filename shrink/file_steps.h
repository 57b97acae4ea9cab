// A trace file read as the shrinker's steps, one at a time, never whole: how
// `shrink` finds a long trace's first failure and cuts it down (live_slice.h)
// in memory that follows the live mappings, not the file's length.
#ifndef IOVACHECK_SHRINK_FILE_STEPS_H_
#define IOVACHECK_SHRINK_FILE_STEPS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "shrink/candidate_replayer.h"
#include "shrink/failure_identity.h"
#include "shrink/trace_step.h"
#include "traces/trace_io.h"

namespace iovacheck {

class FileSteps {
 public:
  static absl::StatusOr<FileSteps> Open(const std::string& path);

  const trace::Header& header() const { return reader_->header(); }
  const std::string& path() const { return reader_->path(); }
  // The next step (valid until the next call), nullptr at the end; an error
  // names the file and the event.
  absl::StatusOr<const TraceStep*> Next();
  // The index of the step Next() returned last.
  uint64_t index() const { return reader_->events_read() - 1; }

 private:
  explicit FileSteps(std::unique_ptr<TraceReader> reader) : reader_(std::move(reader)) {}

  std::unique_ptr<TraceReader> reader_;
  trace::Event proto_;
  TraceStep step_;
};

struct FirstFailure {
  uint64_t event = 0;  // its index in the file
  FailureIdentity identity;
};

// Replays the file from its start to its first failure. InvalidArgument
// ("PATH: event N (kind): why") when the model refuses an event before that;
// FailedPrecondition when every event agrees with the model.
absl::StatusOr<FirstFailure> FindFirstFailure(const std::string& path, CandidateReplayer& replayer);

// Whether any event records outputs (what --recorded judges); reads up to
// the first that does.
absl::StatusOr<bool> RecordsOutputs(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_FILE_STEPS_H_
