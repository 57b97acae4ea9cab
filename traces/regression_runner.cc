// Replays one regression case against every translator its header names and
// demands the stored verdict: pass, or a failure under the stored oracle rule
// at the stored event. Run by one Bazel test per file in traces/regressions/.
#include <iostream>
#include <string>

#include "absl/strings/str_format.h"
#include "mdev/trace_file.h"
#include "traces/replay.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

// A case of the mdev domain: its expectations name vendor-driver trackers.
int RunMdev(const std::string& path) {
  absl::StatusOr<MdevTrace> t = ReadMdevTrace(path);
  if (!t.ok()) {
    std::cout << t.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> wrong = CheckMdevExpectations(*t);
  if (!wrong.ok()) {
    std::cout << path << ": " << wrong.status().message() << "\n";
    return 2;
  }
  for (const std::string& w : *wrong) std::cout << "MISMATCH  " << w << "\n";
  if (wrong->empty()) {
    std::cout << "ok        all " << t->header.expect_size() << " expectations hold\n";
  }
  return wrong->empty() ? 0 : 1;
}

int Run(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  if (!reader.ok()) {
    std::cout << reader.status().message() << "\n";
    return 2;
  }
  const trace::Header header = (*reader)->header();
  if (header.expect_size() == 0) {
    std::cout << path << ": a regression case must state expected verdicts (header.expect)\n";
    return 2;
  }
  if (header.domain() == kMdevDomain) return RunMdev(path);
  int mismatches = 0;
  for (const trace::Expectation& want : header.expect()) {
    ReplayOptions options;
    options.recorded = want.translator() == "recorded";
    options.translator = want.translator();
    const ReplayResult got = ReplayTrace(path, options);
    std::string problem;
    if (got.verdict == ReplayVerdict::kBadInput) {
      problem = "bad input: " + got.report;
    } else if (want.verdict() == trace::Expectation::PASS) {
      if (got.verdict != ReplayVerdict::kPass) problem = "expected PASS, got:\n" + got.report;
    } else if (got.verdict != ReplayVerdict::kFail) {
      problem = "expected FAIL, but every step agreed with the model";
    } else if (!want.rule().empty() &&
               (want.rule() != OracleRuleName(got.divergence->rule) ||
                want.event_index() != got.event_index)) {
      problem = absl::StrFormat(
          "expected FAIL under rule %s at event %u, got rule %s at event %u:\n%s",
          want.rule(), want.event_index(), OracleRuleName(got.divergence->rule),
          got.event_index, got.report);
    }
    const std::string verdict =
        want.verdict() == trace::Expectation::PASS ? "PASS" : "FAIL " + want.rule();
    if (problem.empty()) {
      std::cout << absl::StrFormat("ok        %-10s %s\n", want.translator(), verdict);
    } else {
      ++mismatches;
      std::cout << absl::StrFormat("MISMATCH  %-10s want %s: %s\n", want.translator(),
                                   verdict, problem);
    }
  }
  return mismatches == 0 ? 0 : 1;
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: regression_runner TRACE\n";
    return 2;
  }
  return iovacheck::Run(argv[1]);
}
