// bazel run //tools:mutate -- [--mutants=200] [--seed=1] [--jobs=1] ...
//
// Mutation testing of the project's own translators: builds each of a
// seeded sample of one-line bugs (mutate/operators.h) in a private copy of
// the workspace, runs the chosen tests there, and prints the kill rate and
// every survivor with its diff. Resumable: verdicts go to --results as they
// come, and a second run with the same flags runs only what is missing.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "mutate/mutant.h"
#include "mutate/operators.h"
#include "mutate/runner.h"
#include "mutate/sample.h"
#include "mutate/source_files.h"
#include "tools/command_line.h"

ABSL_FLAG(std::string, workspace, "",
          "the sources (default: the workspace `bazel run` was started in, else the current "
          "directory); never written");
ABSL_FLAG(std::string, files, "translator/*.cc,translator/*.h",
          "comma-separated patterns of the files to mutate, relative to the workspace");
// legacy_translator is the known-buggy design the tests expect to fail,
// registry/runfiles only find translators and files, and both_translators.h,
// forwarding_translator.h and recording_channel.h are test fixtures
// (testonly): their survivors would measure nothing a user ships.
ABSL_FLAG(std::string, exclude,
          "*_test.cc,*_test_util.h,both_translators.h,forwarding_translator.h,"
          "recording_channel.h,legacy_translator.*,registry.*,runfiles.*",
          "comma-separated file-name patterns left out");
ABSL_FLAG(uint64_t, mutants, 200, "how many mutants to draw (all when there are fewer)");
ABSL_FLAG(uint64_t, seed, 1, "the draw's seed: the same seed gives the same mutants");
ABSL_FLAG(int32_t, jobs, 1, "mutants built and tested at once, each in its own copy");
ABSL_FLAG(std::string, scratch, "",
          "where the copies, logs and results go (default: $TMPDIR/iovacheck-mutate)");
ABSL_FLAG(std::string, results, "",
          "the verdicts, one JSON line each (default: SCRATCH/results-seed-N.jsonl); mutants "
          "already there are not run again");
// The translators' own unit tests, the properties and the simulator test.
// Built first, so that a failing test (3) is never mistaken for a mutant that
// does not build (1); the tests stop at the first failure.
ABSL_FLAG(std::string, test_command,
          "t='//translator/... //props/... //sim:simulator_test'; bazel build $t || exit 1; "
          "bazel test --notest_keep_going $t || exit 3",
          "run by /bin/sh in a copy with the mutant in place: exit 0 means it survived");
ABSL_FLAG(int32_t, stillborn_exit, 1,
          "the test command's exit status for a mutant that does not build (Bazel's 1)");
ABSL_FLAG(bool, list, false, "print the drawn mutants and their diffs, run nothing");

namespace iovacheck {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  return absl::StrSplit(s, ',', absl::SkipEmpty());
}

int Main() {
  std::string workspace = absl::GetFlag(FLAGS_workspace);
  if (workspace.empty()) {
    const char* w = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    workspace = w != nullptr ? w : ".";
  }
  absl::StatusOr<std::vector<std::string>> files = FindSourceFiles(
      workspace, SplitList(absl::GetFlag(FLAGS_files)), SplitList(absl::GetFlag(FLAGS_exclude)));
  if (!files.ok()) {
    std::fprintf(stderr, "mutate: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  std::map<std::string, std::string> texts;  // by file, for the mutants and their diffs
  std::vector<Mutant> all;
  for (const std::string& file : *files) {
    absl::StatusOr<std::string> text =
        ReadSourceFile((std::filesystem::path(workspace) / file).string());
    if (!text.ok()) {
      std::fprintf(stderr, "mutate: %s\n", std::string(text.status().message()).c_str());
      return 2;
    }
    for (Mutant& m : FindMutants(file, *text)) all.push_back(std::move(m));
    texts[file] = std::move(*text);
  }
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const size_t found = all.size();
  std::vector<Mutant> mutants = SampleMutants(std::move(all), absl::GetFlag(FLAGS_mutants), seed);
  std::printf("%zu files, %zu mutants found, %zu drawn with seed %llu\n", files->size(), found,
              mutants.size(), static_cast<unsigned long long>(seed));
  auto diff_of = [&](const Mutant& m) { return MutantDiff(texts.at(m.file), m); };
  if (absl::GetFlag(FLAGS_list)) {
    for (const Mutant& m : mutants) std::printf("%s\n%s", m.Id().c_str(), diff_of(m).c_str());
    return 0;
  }

  MutationRunOptions options;
  options.workspace = workspace;
  options.scratch = absl::GetFlag(FLAGS_scratch);
  if (options.scratch.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    options.scratch = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                   "/iovacheck-mutate");
  }
  options.results = absl::GetFlag(FLAGS_results);
  if (options.results.empty()) {
    options.results = absl::StrFormat("%s/results-seed-%d.jsonl", options.scratch, seed);
  }
  std::error_code ec;
  std::filesystem::create_directories(options.scratch, ec);
  options.test_command = absl::GetFlag(FLAGS_test_command);
  options.stillborn_exit = absl::GetFlag(FLAGS_stillborn_exit);
  options.jobs = absl::GetFlag(FLAGS_jobs);
  absl::StatusOr<std::vector<MutantResult>> results = RunMutants(
      options, mutants, [](const std::string& line) {
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);  // a run's progress, line by line, also into a file
      });
  if (!results.ok()) {
    std::fprintf(stderr, "mutate: %s\n", std::string(results.status().message()).c_str());
    return 2;
  }
  size_t killed = 0, survived = 0, stillborn = 0;
  std::string survivors;
  for (size_t i = 0; i < results->size(); ++i) {
    const MutantResult& r = (*results)[i];
    switch (r.verdict) {
      case MutantVerdict::kKilled: ++killed; break;
      case MutantVerdict::kStillborn: ++stillborn; break;
      case MutantVerdict::kSurvived:
        ++survived;
        absl::StrAppend(&survivors, "\nsurvived: ", diff_of(mutants[i]));
        break;
    }
  }
  std::printf("%s", survivors.c_str());
  const size_t judged = killed + survived;
  std::printf("\n%zu mutants: %zu killed, %zu survived, %zu did not build; kill rate %.1f%% "
              "(%zu of %zu)\nresults: %s\n",
              results->size(), killed, survived, stillborn,
              judged == 0 ? 0.0 : 100.0 * killed / judged, killed, judged,
              options.results.c_str());
  return 0;
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mutation testing of the translators: bazel run //tools:mutate -- [flags]");
  if (absl::Status s = iovacheck::CheckFlags(argc, argv); !s.ok()) {
    std::fprintf(stderr, "mutate: %s (--help lists the flags)\n",
                 std::string(s.message()).c_str());
    return 2;
  }
  if (iovacheck::WantsHelp(argc, argv)) {
    std::printf(
        "bazel run //tools:mutate -- [flags]\n\n"
        "  --files=%s\n  --exclude=%s\n  --mutants=N (200)  --seed=N (1)  --jobs=N (1)\n"
        "  --scratch=DIR  --results=FILE  --test_command=CMD  --stillborn_exit=N (1)\n"
        "  --list  print the drawn mutants, run nothing\n",
        absl::GetFlag(FLAGS_files).c_str(), absl::GetFlag(FLAGS_exclude).c_str());
    return 0;
  }
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    std::fprintf(stderr, "mutate: unexpected argument %s\n", rest[1]);
    return 2;
  }
  return iovacheck::Main();
}
