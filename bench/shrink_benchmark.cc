// The shrinker against plain ddmin (shrink/ddmin.h) on the same generated
// traces: `legacy` with the aliasing bug buried in the middle, at several
// lengths. Both get the same replays and the same failure identity; the
// counters are replays, events stepped and input events left, and after the
// runs the ratios ddmin / shrinker, measured in this process, are printed.
// ddmin is quadratic here (2,000 input events take it about a minute), so
// at 10,000 only the shrinker runs.
//
//   bazel run -c opt //bench:shrink_benchmark
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "absl/time/clock.h"
#include "shrink/ddmin.h"
#include "shrink/shrinker.h"
#include "sim/buried_alias_trace.h"

namespace iovacheck {
namespace {

struct Generated {
  DeviceConfig config;
  StepPool steps;
};

const Generated& TraceOf(int input_events) {
  static auto* cache = new std::map<int, Generated>;
  auto it = cache->find(input_events);
  if (it != cache->end()) return it->second;
  BuriedAliasOptions options;
  options.seed = 20261121;
  options.min_input_events = input_events;
  const BuriedAliasTrace t = MakeBuriedAliasTrace(options);
  Generated g{t.config, {}};
  for (const Event& e : t.events) g.steps.push_back(SynthesizedStep(e));
  return cache->emplace(input_events, std::move(g)).first->second;
}

struct Measured {
  double replays = 0, stepped = 0, seconds = 0, left = 0;
  int runs = 0;
};

std::map<std::pair<int, std::string>, Measured>& Results() {
  static auto* results = new std::map<std::pair<int, std::string>, Measured>;
  return *results;
}

void Record(benchmark::State& state, const char* algorithm, double replays, double stepped,
            double seconds, double left) {
  Measured& m = Results()[{static_cast<int>(state.range(0)), algorithm}];
  m.replays += replays;
  m.stepped += stepped;
  m.seconds += seconds;
  m.left += left;
  ++m.runs;
  state.counters["replays"] = replays;
  state.counters["events_stepped"] = stepped;
  state.counters["input_events_left"] = left;
}

ReplayTarget Legacy() { return *FindReplayTarget("legacy"); }

void BM_Shrinker(benchmark::State& state) {
  const Generated& g = TraceOf(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    StepPool steps = g.steps;
    CandidateReplayer replayer(g.config, false, Legacy());
    state.ResumeTiming();
    const absl::Time start = absl::Now();
    absl::StatusOr<ShrinkResult> r = Shrink(std::move(steps), replayer, ShrinkOptions{});
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    Record(state, "shrinker", r->stats.replays, r->stats.events_stepped, seconds,
           r->stats.input_events);
  }
}

void BM_Ddmin(benchmark::State& state) {
  const Generated& g = TraceOf(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    CandidateReplayer replayer(g.config, false, Legacy());
    absl::StatusOr<DdminResult> r = Ddmin(g.steps, replayer, absl::Minutes(10));
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    Record(state, "ddmin", r->replays, r->events_stepped, absl::ToDoubleSeconds(r->elapsed),
           r->input_events);
  }
}

BENCHMARK(BM_Shrinker)->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ddmin)->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)
    ->Iterations(1)->Unit(benchmark::kMillisecond);

void PrintRatios() {
  std::printf("\nddmin / shrinker, same traces, same process (means per run):\n");
  std::printf("%8s %14s %12s %8s %14s %12s %8s\n", "inputs", "shrinker repl", "ddmin repl",
              "ratio", "shrinker s", "ddmin s", "ratio");
  for (const auto& [key, shrinker] : Results()) {
    if (key.second != "shrinker") continue;
    auto d = Results().find({key.first, "ddmin"});
    const double sr = shrinker.replays / shrinker.runs, ss = shrinker.seconds / shrinker.runs;
    if (d == Results().end()) {
      std::printf("%8d %14.0f %12s %8s %14.3f %12s %8s\n", key.first, sr, "-", "-", ss, "-",
                  "-");
      continue;
    }
    const double dr = d->second.replays / d->second.runs, ds = d->second.seconds / d->second.runs;
    std::printf("%8d %14.0f %12.0f %7.0fx %14.3f %12.3f %7.0fx\n", key.first, sr, dr, dr / sr,
                ss, ds, ds / ss);
  }
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  iovacheck::PrintRatios();
  return 0;
}
