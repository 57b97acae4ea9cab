// The live slice that lets `shrink` stream a long trace: what it keeps, that
// it widens its window when the failure needs history, and that on every
// scenario's real traces what it keeps is a trace the model accepts.
#include "shrink/live_slice.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "shrink/file_steps.h"
#include "shrink/shrinker.h"
#include "shrink/well_formed.h"
#include "sim/buried_alias_trace.h"
#include "sim/scenario.h"
#include "sim/simulator.h"
#include "traces/trace_codec.h"
#include "traces/trace_test_util.h"
#include "translator/decoupled_translator.h"
#include "translator/forwarding_translator.h"

namespace iovacheck {
namespace {

std::string WriteEvents(const std::string& name, const DeviceConfig& config,
                        const std::vector<Event>& events) {
  const std::string path = TestPath(name);
  EXPECT_TRUE(WriteTestTrace(path, TestHeader(config), InputsOnly(events)).ok());
  return path;
}

size_t Count(const StepPool& steps, const char* kind) {
  size_t n = 0;
  for (const TraceStep& s : steps) n += std::string(EventKind(s.event)) == kind;
  return n;
}

TEST(LiveSlice, KeepsOnlyWhatIsLiveBeforeTheAliasingBug) {
  BuriedAliasOptions options;
  options.min_input_events = 6000;
  options.bury_at = 0.9;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  const std::string path = WriteEvents("buried.trace", generated.config, generated.events);
  CandidateReplayer legacy(generated.config, false, *FindReplayTarget("legacy"));

  absl::StatusOr<SlicedTrace> slice = SliceForShrinking(path, legacy);
  ASSERT_TRUE(slice.ok()) << slice.status();
  EXPECT_EQ(slice->failing_event, generated.alias_delete_index);
  EXPECT_EQ(FailureIdentityToString(slice->identity), "rule coverage at a region_del");
  EXPECT_EQ(slice->window, 0u);
  EXPECT_FALSE(slice->whole);
  EXPECT_EQ(slice->slices_tried, 1);
  // At most one section per RAM slot and one buffer per host slot are live
  // (48 and 32), with low RAM, the alias and their markers: a small fraction
  // of the ~8,000 events before the failure.
  EXPECT_LT(slice->steps.size(), 300u);
  EXPECT_EQ(Count(slice->steps, "translate"), 0u);
  EXPECT_EQ(Count(slice->steps, "device_dma"), 0u);
  EXPECT_EQ(Count(slice->steps, "region_del"), 1u);  // the failing one
  ASSERT_TRUE(CheckWellFormed(generated.config, slice->steps, Identity(slice->steps.size())).ok());

  absl::StatusOr<ShrinkResult> shrunk = Shrink(slice->steps, legacy, ShrinkOptions{});
  ASSERT_TRUE(shrunk.ok()) << shrunk.status();
  EXPECT_TRUE(shrunk->stats.one_minimal);
  EXPECT_EQ(shrunk->stats.input_events, 3u);  // RAM, the alias inside it, the alias deleted
}

// Correct, but it forgets the sixth region_add it is ever given: a failure
// that rests on history the slice at first drops.
class ForgetsTheSixthAdd : public ForwardingTranslator {
 public:
  ForgetsTheSixthAdd(const DeviceConfig& c, IotlbChannel* ch)
      : ForwardingTranslator(DecoupledTranslator::Create(c, ch)) {}
  int RegionAdd(const GuestSection& s) override { return ++adds_ == 6 ? 0 : inner().RegionAdd(s); }

 private:
  int adds_ = 0;
};

Section SectionNumbered(uint64_t i) {
  return NamedSection(absl::StrFormat("ram%u", i), 0x100000000 + i * 0x100000, 0x100000,
                      0x7f0000000000 + i * 0x100000);
}

TEST(LiveSlice, WidensItsWindowUntilTheFailureComesBack) {
  const Section a = SectionNumbered(0);
  const Iovec in_a{a.gpa + 0x40, a.hva + 0x40, 0x10, true, false};
  std::vector<Event> events = {ListenerBeginEvent{}, RegionAddEvent{a}, ListenerCommitEvent{}};
  for (int i = 0; i < 10000; ++i) events.push_back(TranslateEvent{{in_a}});
  for (uint64_t i = 1; i <= 4; ++i) {
    const Section x = SectionNumbered(i);
    for (const Event& e :
         {Event{ListenerBeginEvent{}}, Event{RegionAddEvent{x}}, Event{ListenerCommitEvent{}},
          Event{ListenerBeginEvent{}}, Event{RegionDelEvent{x}}, Event{ListenerCommitEvent{}}}) {
      events.push_back(e);
    }
  }
  for (int i = 0; i < 1000; ++i) events.push_back(TranslateEvent{{in_a}});
  const uint64_t sixth = events.size() + 1;
  for (const Event& e : {Event{ListenerBeginEvent{}}, Event{RegionAddEvent{SectionNumbered(9)}},
                         Event{ListenerCommitEvent{}}}) {
    events.push_back(e);
  }
  DeviceConfig config;
  const std::string path = WriteEvents("history.trace", config, events);
  CandidateReplayer replayer(
      config, false,
      ReplayTarget{"forgets-the-sixth-add", [](const DeviceConfig& c, IotlbChannel* ch) {
                     return std::unique_ptr<Translator>(new ForgetsTheSixthAdd(c, ch));
                   }});

  // The live slice alone passes: the four sections that came and went are
  // not in it.
  absl::StatusOr<StepPool> live = LiveSlice(path, sixth, sixth);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(Count(*live, "region_add"), 2u);  // a, and the sixth
  EXPECT_EQ(replayer.Replay(*live, Identity(live->size())).verdict,
            CandidateOutcome::Verdict::kPass);

  absl::StatusOr<SlicedTrace> slice = SliceForShrinking(path, replayer);
  ASSERT_TRUE(slice.ok()) << slice.status();
  EXPECT_EQ(slice->failing_event, sixth);
  EXPECT_EQ(slice->slices_tried, 2);
  EXPECT_EQ(slice->window, 4096u);
  EXPECT_FALSE(slice->whole);
  // a's transaction, then 4,096 events and the failing transaction's commit.
  EXPECT_EQ(slice->steps.size(), 3u + 4096u + 1u + 1u);
  EXPECT_EQ(Count(slice->steps, "region_add"), 6u);
  EXPECT_TRUE(
      absl::StrContains(DescribeSlice(*slice), absl::StrFormat("event %u: the 4096 events", sixth)))
      << DescribeSlice(*slice);
}

TEST(LiveSlice, SaysWhenTheTraceDoesNotFailOrCannotBeRead) {
  const std::vector<Event> events = AliasingScenario();
  const std::string path = WriteEvents("passes.trace", DeviceConfig{}, events);
  CandidateReplayer decoupled(DeviceConfig{}, false, *FindReplayTarget("decoupled"));
  absl::StatusOr<SlicedTrace> passes = SliceForShrinking(path, decoupled);
  EXPECT_EQ(passes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(passes.status().message(), path)) << passes.status();

  const std::string bytes = ReadBytes(path);
  const std::string cut = TestPath("cut.trace");
  WriteBytes(cut, bytes + "\xff\xff\xff");
  CandidateReplayer legacy(DeviceConfig{}, false, *FindReplayTarget("legacy"));
  absl::StatusOr<SlicedTrace> damaged = SliceForShrinking(cut, legacy);
  // The failure (event 6) comes before the damage at the end, which is
  // never read.
  ASSERT_TRUE(damaged.ok()) << damaged.status();
  EXPECT_EQ(damaged->failing_event, kAliasDeleteIndex);

  WriteBytes(cut, bytes.substr(0, bytes.size() / 2));
  absl::StatusOr<SlicedTrace> early = SliceForShrinking(cut, legacy);
  ASSERT_FALSE(early.ok());
  EXPECT_TRUE(absl::StrContains(early.status().message(), cut)) << early.status();
}

// On what the simulator really emits (shadow data switches, vIOMMU maps and
// unmaps, resets, DMAs, host buffers, in every scenario), a slice at any
// boundary is a trace the model accepts and the harness replays without a
// refusal: the slicer's idea of "live" is the model's.
TEST(LiveSlice, SlicesOfSimulatedTracesStayWellFormed) {
  for (const std::string& scenario : ScenarioNames()) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      SCOPED_TRACE(absl::StrFormat("scenario %s seed %u", scenario, seed));
      SimulationOptions run;
      run.scenario = scenario;
      run.seed = seed;
      run.steps = 300;
      run.faults = false;
      run.trace_path = TestPath(absl::StrFormat("%s-%u.trace", scenario, seed));
      const SimulationResult result = RunSimulation(run);
      ASSERT_EQ(result.verdict, SimulationVerdict::kPass) << result.report;
      absl::StatusOr<FileSteps> file = FileSteps::Open(run.trace_path);
      ASSERT_TRUE(file.ok()) << file.status();
      absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(file->header().device());
      ASSERT_TRUE(config.ok()) << config.status();
      uint64_t events = 0;
      while (true) {
        absl::StatusOr<const TraceStep*> step = file->Next();
        ASSERT_TRUE(step.ok()) << step.status();
        if (*step == nullptr) break;
        ++events;
      }
      ASSERT_GT(events, 100u);
      CandidateReplayer replayer(*config, file->header().strict(), *FindReplayTarget("decoupled"));
      const uint64_t last = events - 1;
      for (uint64_t boundary : {uint64_t{0}, last / 3, last / 2, last - 10, last}) {
        SCOPED_TRACE(absl::StrFormat("boundary %u", boundary));
        absl::StatusOr<StepPool> slice = LiveSlice(run.trace_path, last, boundary);
        ASSERT_TRUE(slice.ok()) << slice.status();
        EXPECT_LE(slice->size(), events);
        if (boundary == 0) {
          EXPECT_EQ(slice->size(), events);
        }
        const absl::Status well_formed = CheckWellFormed(*config, *slice, Identity(slice->size()));
        EXPECT_TRUE(well_formed.ok()) << well_formed;
        const CandidateOutcome out = replayer.Replay(*slice, Identity(slice->size()));
        EXPECT_NE(out.verdict, CandidateOutcome::Verdict::kRefused) << out.refusal;
      }
    }
  }
}

}  // namespace
}  // namespace iovacheck
