// Peak memory of the commands against the length of what they work on:
// `simulate -o`, `replay`, `shrink` and `campaign` must hold memory that
// follows the live mappings, not the run's length (issue [7]: a run ten
// times longer may use at most 1.2x the memory). Each case runs the real
// `iovacheck` binary in a child process and reports its peak RSS (from
// wait4) as the counter max_rss_MB; after the runs, each command's RSS at
// every length is printed as a ratio to its shortest.
//
//   bazel run -c opt //bench:memory_benchmark
//   bazel run -c opt //bench:memory_benchmark -- --benchmark_filter=Shrink
//
// The longest cases (10^7 events) take a minute or two each.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "sim/buried_alias_trace.h"
#include "traces/compact_event_codec.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

std::string Dir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/iovacheck-memory-XXXXXX";
    const char* made = mkdtemp(pattern);
    return std::string(made != nullptr ? made : "/tmp");
  }();
  return dir;
}

std::string Binary() {
  absl::StatusOr<std::string> path = FindRunfile("tools/iovacheck");
  return path.ok() ? *path : "";
}

// Runs the command with its output thrown away; its peak RSS in MB, or a
// negative number when it could not run or exited with a status other
// than `want_status`.
double PeakRssMb(const std::vector<std::string>& args, int want_status = 0) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
    if (std::freopen("/dev/null", "w", stderr) == nullptr) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != want_status) return -1;
  return usage.ru_maxrss / 1024.0;  // KiB
}

std::map<std::string, std::map<int64_t, double>>& Results() {
  static auto* results = new std::map<std::string, std::map<int64_t, double>>;
  return *results;
}

void Report(benchmark::State& state, const std::string& name, double mb) {
  if (mb < 0) {
    state.SkipWithError("the command failed");
    return;
  }
  state.counters["max_rss_MB"] = mb;
  Results()[name][state.range(0)] = mb;
}

// viommu (a map per page) at seed 3 without faults: about 4.7 events a step.
uint64_t StepsFor(int64_t events) { return static_cast<uint64_t>(events) / 47 * 10; }

std::string SimulatedTrace(int64_t events) {
  return absl::StrFormat("%s/viommu-%d.trace", Dir(), events);
}

void BM_SimulateRss(benchmark::State& state) {
  for (auto _ : state) {
    Report(state, "simulate -o",
           PeakRssMb({Binary(), "simulate", "--scenario=viommu", "--seed=3", "--faults=false",
                      absl::StrFormat("--steps=%u", StepsFor(state.range(0))), "-o",
                      SimulatedTrace(state.range(0))}));
  }
}

// Runs after BM_SimulateRss wrote the traces.
void BM_ReplayRss(benchmark::State& state) {
  for (auto _ : state) {
    Report(state, "replay", PeakRssMb({Binary(), "replay", SimulatedTrace(state.range(0))}));
  }
}

// A buried-alias trace whose bug (legacy's) sits at 99% of its length:
// written here, streaming, then shrunk by the command.
std::string FailingTrace(int64_t events) {
  const std::string path = absl::StrFormat("%s/buried-%d.trace", Dir(), events);
  trace::Header header;
  header.set_format_version(kTraceFormatVersion);
  header.mutable_producer()->set_tool("memory_benchmark");
  *header.mutable_device() = DeviceConfigToProto(BuriedAliasConfig());
  absl::StatusOr<std::unique_ptr<TraceWriter>> writer = TraceWriter::Create(path, header);
  if (!writer.ok()) return "";
  BuriedAliasOptions options;
  options.seed = 20261202;
  // About 1.5 events an input event, with the markers.
  options.min_input_events = static_cast<size_t>(events) * 2 / 3;
  options.bury_at = 0.99;
  absl::Status status;
  GenerateBuriedAliasTrace(options, [&](Event e) {
    if (status.ok()) status = (*writer)->Append(EventToProto(e));
  });
  if (!status.ok() || !(*writer)->Close().ok()) return "";
  return path;
}

void BM_ShrinkRss(benchmark::State& state) {
  const std::string input = FailingTrace(state.range(0));
  for (auto _ : state) {
    Report(state, "shrink",
           PeakRssMb({Binary(), "shrink", input, "--translator=legacy", "--max_replays=2000", "-o",
                      input + ".min"}));
  }
}

// Campaigns: seeds instead of events (q35 makes about 1,400 events a seed).
void BM_CampaignRss(benchmark::State& state) {
  for (auto _ : state) {
    Report(state, "campaign (seeds)",
           PeakRssMb({Binary(), "campaign", "--scenario=q35", "--jobs=2",
                      absl::StrFormat("--seeds=1..%d", state.range(0)),
                      absl::StrFormat("--out_dir=%s/campaign", Dir())}));
  }
}

BENCHMARK(BM_SimulateRss)
    ->Arg(100000)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_ReplayRss)
    ->Arg(100000)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_ShrinkRss)
    ->Arg(100000)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_CampaignRss)->Arg(100)->Arg(1000)->Arg(10000)->Iterations(1)->Unit(benchmark::kSecond);

void PrintRatios() {
  std::printf("\npeak RSS against the shortest run of each command:\n");
  for (const auto& [name, by_length] : Results()) {
    if (by_length.empty()) continue;
    const double base = by_length.begin()->second;
    std::printf("%-18s %7.1f MB", name.c_str(), base);
    for (const auto& [length, mb] : by_length) {
      std::printf("  %lld: %.2fx", static_cast<long long>(length), mb / base);
    }
    std::printf("\n");
  }
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (iovacheck::Binary().empty()) {
    std::fprintf(stderr, "memory_benchmark: tools/iovacheck is not among the runfiles\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  iovacheck::PrintRatios();
  const std::string dir = iovacheck::Dir();
  std::error_code ignored;  // what is left in /tmp is only clutter
  if (dir != "/tmp") std::filesystem::remove_all(dir, ignored);
  return 0;
}
