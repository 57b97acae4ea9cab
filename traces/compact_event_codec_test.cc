// Trace format version 2 (compact_event_codec.h): every event the simulator
// writes comes back exactly (compared with the text form of the same run,
// which does not go through the codec), damaged files are refused with the
// byte offset and never crash, a version-1 file still reads and replays,
// and simulator traces take at most 16 bytes an event.
#include "traces/compact_event_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "sim/prng.h"
#include "sim/scenario.h"
#include "sim/simulator.h"
#include "traces/replay.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

struct Written {
  std::string binary;
  std::string text;
  uint64_t events = 0;
};

Written Simulate(const std::string& scenario, uint64_t seed, uint64_t steps,
                 const std::string& translator = "decoupled") {
  Written w;
  const std::string stem = TestPath(absl::StrCat(scenario, "-", seed, "-", translator));
  w.binary = stem + ".trace";
  w.text = stem + ".textproto";
  for (const std::string& path : {w.binary, w.text}) {
    SimulationOptions o;
    o.scenario = scenario;
    o.seed = seed;
    o.steps = steps;
    o.translator = translator;
    o.trace_path = path;
    SimulationResult r = RunSimulation(o);
    EXPECT_EQ(r.trace_written, path) << r.report;
    w.events = r.events;
  }
  return w;
}

TEST(CompactEventCodec, EverySimulatedEventComesBackExactly) {
  int compared = 0;
  for (const std::string& scenario : ScenarioNames()) {
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      // legacy's failures end runs early, with a divergence's outputs.
      for (const char* translator : {"decoupled", "legacy"}) {
        Written w = Simulate(scenario, seed, 150, translator);
        absl::StatusOr<trace::Trace> binary = ReadWholeTrace(w.binary);
        absl::StatusOr<trace::Trace> text = ReadWholeTrace(w.text);
        ASSERT_TRUE(binary.ok()) << binary.status();
        ASSERT_TRUE(text.ok()) << text.status();
        EXPECT_EQ(binary->header().format_version(), kTraceFormatVersion);
        ASSERT_EQ(binary->events_size(), text->events_size()) << w.binary;
        for (int i = 0; i < binary->events_size(); ++i) {
          ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(binary->events(i),
                                                                         text->events(i)))
              << w.binary << " event " << i << "\n"
              << binary->events(i).DebugString() << "\nwant\n"
              << text->events(i).DebugString();
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// A hand-written trace may leave out an event's section or buffer (found by
// the text trace fuzzer: `host_map { }` came back from a binary trace as
// `host_map { buffer { } }`). Such an event keeps its full form.
TEST(CompactEventCodec, AnEventWithoutItsSectionOrBufferComesBackExactly) {
  trace::Trace written;
  written.mutable_header()->set_format_version(kTraceFormatVersion);
  written.mutable_header()->mutable_device()->set_page_size(4096);
  written.mutable_header()->mutable_device()->set_iova_last(~uint64_t{0});
  written.add_events()->mutable_host_map();
  written.add_events()->mutable_region_add();
  written.add_events()->mutable_region_del();
  written.add_events()->mutable_host_map()->mutable_buffer()->set_hva(0x1000);
  const std::string path = TestPath("without-section-or-buffer.trace");
  ASSERT_TRUE(WriteWholeTrace(path, written).ok());
  absl::StatusOr<trace::Trace> back = ReadWholeTrace(path);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->events_size(), written.events_size());
  for (int i = 0; i < written.events_size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(back->events(i), written.events(i)))
        << "event " << i << ": " << back->events(i).ShortDebugString() << "\nwant "
        << written.events(i).ShortDebugString();
  }
}

// Simulator traces, faults and all: at most 16 bytes an event on average in
// every scenario (version 1 took 38-42).
TEST(CompactEventCodec, SimulatorTracesTakeAtMostSixteenBytesAnEvent) {
  for (const std::string& scenario : ScenarioNames()) {
    uint64_t bytes = 0;
    uint64_t events = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      Written w = Simulate(scenario, seed, 3000);
      bytes += ReadBytes(w.binary).size();
      events += w.events;
    }
    const double per_event = static_cast<double>(bytes) / static_cast<double>(events);
    std::printf("%s: %lu events, %.2f bytes an event\n", scenario.c_str(),
                static_cast<unsigned long>(events), per_event);
    EXPECT_LE(per_event, 16.0) << scenario;
  }
}

// Every truncation and many single-byte changes of a real trace: an error
// naming the file and a byte offset, or events; never a crash or a hang.
TEST(CompactEventCodec, DamagedTracesAreRefusedWithAnOffset) {
  Written w = Simulate("q35", 7, 40);
  const std::string good = ReadBytes(w.binary);
  const std::string path = TestPath("damaged.trace");
  auto read_all = [&](const std::string& bytes) -> absl::Status {
    WriteBytes(path, bytes);
    absl::StatusOr<trace::Trace> t = ReadWholeTrace(path);
    return t.status();
  };
  ASSERT_TRUE(read_all(good).ok());
  int refused = 0;
  for (size_t cut = 9; cut < good.size(); cut += 7) {
    absl::Status s = read_all(good.substr(0, cut));
    if (s.ok()) continue;  // a cut between blocks is a shorter trace
    ++refused;
    EXPECT_TRUE(absl::StrContains(s.message(), path)) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "byte ")) << s;
  }
  EXPECT_GT(refused, 0);
  SplitMix64 rng(20261202);
  for (int i = 0; i < 2000; ++i) {
    std::string bad = good;
    const size_t at = 9 + rng.Next() % (bad.size() - 9);
    bad[at] = static_cast<char>(rng.Next());
    absl::Status s = read_all(bad);
    if (!s.ok()) {
      EXPECT_TRUE(absl::StrContains(s.message(), "byte ") ||
                  absl::StrContains(s.message(), "header")) << s;
    }
  }
}

// A version-1 file written by the iovacheck before version 2 (q35, seed 1,
// five steps, decoupled) still reads and replays.
TEST(CompactEventCodec, AVersionOneTraceStillReplays) {
  absl::StatusOr<std::string> path =
      FindRunfile("traces/testdata/v1-q35-seed1-steps5.trace");
  ASSERT_TRUE(path.ok()) << path.status();
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(*path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header().format_version(), 1u);
  ReplayOptions options;
  ReplayResult r = ReplayTrace(*path, options);
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
  EXPECT_EQ(r.events, 32u);
}

// Version 3 only added the mdev domain: a version-2 file (viommu, seed 7,
// 200 steps, written before it) still reads, replays, and holds the same
// events as the version-3 file of the same seed.
TEST(CompactEventCodec, AVersionTwoTraceStillReplaysAsItsVersionThreeTwin) {
  absl::StatusOr<std::string> v2 = FindRunfile("traces/testdata/v2-viommu-seed7-steps200.trace");
  absl::StatusOr<std::string> v3 = FindRunfile("traces/testdata/viommu-seed7-steps200.trace");
  ASSERT_TRUE(v2.ok()) << v2.status();
  ASSERT_TRUE(v3.ok()) << v3.status();
  absl::StatusOr<trace::Trace> old_trace = ReadWholeTrace(*v2);
  absl::StatusOr<trace::Trace> new_trace = ReadWholeTrace(*v3);
  ASSERT_TRUE(old_trace.ok()) << old_trace.status();
  ASSERT_TRUE(new_trace.ok()) << new_trace.status();
  EXPECT_EQ(old_trace->header().format_version(), 2u);
  EXPECT_EQ(new_trace->header().format_version(), 3u);
  ASSERT_EQ(old_trace->events_size(), new_trace->events_size());
  for (int i = 0; i < old_trace->events_size(); ++i) {
    ASSERT_EQ(old_trace->events(i).SerializeAsString(), new_trace->events(i).SerializeAsString())
        << "event " << i;
  }
  ReplayResult r = ReplayTrace(*v2, ReplayOptions{});
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
  EXPECT_EQ(r.events, static_cast<uint64_t>(old_trace->events_size()));
}

}  // namespace
}  // namespace iovacheck
