// decoupled and legacy built as plug-ins (translator/plugin) give the same
// verdicts and the same trace bytes as in-process: the plug-in boundary and
// the child process add nothing and lose nothing.
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/scenario.h"
#include "sim/simulator.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

struct TraceBytes {
  // Without the translator's name, and without the expected verdicts, which
  // name it too (and a pass is recorded only for "decoupled" by name); the
  // verdicts are compared on their own.
  std::string header;
  std::vector<std::string> events;
};

TraceBytes ReadBytes(const std::string& path) {
  TraceBytes out;
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return out;
  trace::Header h = (*reader)->header();
  h.mutable_producer()->clear_translator();
  h.clear_expect();
  out.header = h.SerializeAsString();
  trace::Event e;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&e);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    out.events.push_back(e.SerializeAsString());
  }
  return out;
}

std::string PluginName(const std::string& so) {
  return "plugin:" + std::string(std::getenv("TEST_SRCDIR")) + "/iovacheck/translator/plugin/" +
         so;
}

void ExpectSameRuns(const std::string& in_process, const std::string& plugin, uint64_t seeds) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  int failures = 0;
  for (const std::string& scenario : ScenarioNames()) {
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
      SCOPED_TRACE(scenario + " seed " + std::to_string(seed));
      SimulationOptions o;
      o.scenario = scenario;
      o.seed = seed;
      o.translator = in_process;
      o.trace_path = dir + "/in_process.trace";
      SimulationResult a = RunSimulation(o);
      o.translator = plugin;
      o.trace_path = dir + "/plugin.trace";
      SimulationResult b = RunSimulation(o);
      ASSERT_EQ(a.verdict, b.verdict) << a.report << "\n" << b.report;
      ASSERT_EQ(a.events, b.events);
      if (a.verdict == SimulationVerdict::kFail) {
        ++failures;
        EXPECT_EQ(a.event_index, b.event_index);
        EXPECT_EQ(a.divergence->rule, b.divergence->rule);
        EXPECT_EQ(a.divergence->actual, b.divergence->actual);
      }
      TraceBytes ta = ReadBytes(dir + "/in_process.trace");
      TraceBytes tb = ReadBytes(dir + "/plugin.trace");
      EXPECT_EQ(ta.header, tb.header);
      ASSERT_EQ(ta.events.size(), tb.events.size());
      for (size_t i = 0; i < ta.events.size(); ++i) {
        ASSERT_EQ(ta.events[i], tb.events[i]) << "event " << i;
      }
    }
  }
  if (in_process == "legacy") {
    EXPECT_GT(failures, 0) << "legacy's aliasing bug went unseen";
  }
}

TEST(PluginEquivalence, DecoupledSameInProcessAndAsPlugin) {
  ExpectSameRuns("decoupled", PluginName("decoupled_plugin.so"), 8);
}

TEST(PluginEquivalence, LegacySameInProcessAndAsPlugin) {
  ExpectSameRuns("legacy", PluginName("legacy_plugin.so"), 8);
}

}  // namespace
}  // namespace iovacheck
