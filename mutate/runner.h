// Runs mutants: each is written into a private copy of the workspace (one
// copy per job, made once and reused, so a build after the first is
// incremental), the test command runs there, and its exit status is the
// verdict. The workspace itself is never written. Every verdict is appended
// to the results file as it comes, and mutants already in it are not run
// again: an interrupted run resumes where it stopped.
#ifndef IOVACHECK_MUTATE_RUNNER_H_
#define IOVACHECK_MUTATE_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mutate/mutant.h"

namespace iovacheck {

struct MutationRunOptions {
  std::string workspace;  // the sources the mutants' files are relative to
  std::string scratch;    // the copies (copy-0, copy-1, ...) and logs/ go here
  // Run with /bin/sh -c in a copy. Exit 0: the mutant survived;
  // `stillborn_exit`: it did not build (left out of the kill rate); any
  // other status or a signal: killed -- except SIGINT, SIGTERM and SIGHUP
  // (or a shell's 128 + one of them): someone stopped the run, so that
  // mutant gets no verdict and the run ends (Cancelled); run again to
  // resume.
  std::string test_command;
  int stillborn_exit = 1;  // Bazel's "build failed"; its "tests failed" is 3
  int jobs = 1;
  std::string results;  // JSON lines, one per mutant run
};

enum class MutantVerdict { kKilled, kSurvived, kStillborn };
const char* MutantVerdictName(MutantVerdict v);

struct MutantResult {
  std::string id;  // Mutant::Id()
  MutantVerdict verdict = MutantVerdict::kKilled;
  int exit_status = 0;  // the command's, or 128 + signal
};

// The verdicts of `mutants` (those already in the results file read back
// from it), in the order of `mutants`. `progress` gets a line per mutant
// run. Errors: the workspace or scratch cannot be read or written, a
// results line cannot be read.
absl::StatusOr<std::vector<MutantResult>> RunMutants(
    const MutationRunOptions& options, const std::vector<Mutant>& mutants,
    const std::function<void(const std::string&)>& progress);

// The results already in `path` (none when it does not exist), by id.
absl::StatusOr<std::vector<MutantResult>> ReadMutantResults(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_RUNNER_H_
