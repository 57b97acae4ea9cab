// The shrinker's replays inject each kept event's recorded faults, as
// `iovacheck replay` does: a trace that fails only because of a fault keeps
// failing while it shrinks, and a recording with faults stays consistent.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "shrink/candidate_replayer.h"
#include "shrink/shrinker.h"
#include "shrink/trace_step.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "traces/trace_codec.h"
#include "translator/decoupled_translator.h"
#include "translator/forwarding_translator.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMiB = 0x100000;

Section Ram(const char* name, uint64_t gpa, uint64_t hva) {
  Section s;
  s.name = name;
  s.gpa = gpa;
  s.size = kMiB;
  s.hva = hva;
  return s;
}

// Four sections, a buffer translated in each; the UPDATE of the third
// (event 3, its only message: the first add began the batch) refused.
std::vector<Event> FourSections() {
  std::vector<Event> events{ListenerBeginEvent{}};
  std::vector<Section> sections;
  for (uint64_t i = 0; i < 4; ++i) {
    sections.push_back(Ram("ram", i * kMiB, 0x7f0000000000 + i * kMiB));
    events.push_back(RegionAddEvent{sections.back()});
  }
  events.push_back(ListenerCommitEvent{});
  for (const Section& s : sections) {
    events.push_back(TranslateEvent{{Iovec{s.gpa + 0x2000, s.hva + 0x2000, 0x1000, true, true}}});
  }
  return events;
}
constexpr size_t kRefusedAdd = 3;

// decoupled's run of FourSections with the refusal, as a trace.
trace::Trace RecordedTrace() {
  RecordedChannelFaults faults;
  HarnessOptions options;
  options.faults = &faults;
  Harness h(DeviceConfig{}, &DecoupledTranslator::Create, options);
  trace::Trace out;
  const std::vector<Event> events = FourSections();
  for (size_t i = 0; i < events.size(); ++i) {
    faults.Load(i == kRefusedAdd
                    ? std::vector<InjectedFault>{{0, "device_rejects_update", EFAULT, true}}
                    : std::vector<InjectedFault>{});
    EXPECT_TRUE(h.Step(events[i]).ok());
    *out.add_events() = StepToProto(h.log().back());
  }
  EXPECT_FALSE(h.failed()) << FormatLog(h.log());
  EXPECT_EQ(h.log()[kRefusedAdd].faults.size(), 1u) << FormatLog(h.log());
  return out;
}

StepPool Pool(const trace::Trace& t) {
  absl::StatusOr<StepPool> pool = StepsFromTrace(t, "test");
  EXPECT_TRUE(pool.ok()) << pool.status();
  return *pool;
}

StepPool WithoutFaults(StepPool pool) {
  for (TraceStep& s : pool) {
    s.recorded.faults.clear();
    s.proto.clear_faults();
  }
  return pool;
}

// Reports success although the device refused the mapping.
class SwallowsRefusal : public ForwardingTranslator {
 public:
  SwallowsRefusal(const DeviceConfig& config, IotlbChannel* channel)
      : ForwardingTranslator(DecoupledTranslator::Create(config, channel)) {}
  int RegionAdd(const GuestSection& s) override {
    inner().RegionAdd(s);
    return 0;
  }
};

ReplayTarget Swallows() {
  return ReplayTarget{"swallows-refusal",
                      [](const DeviceConfig& c, IotlbChannel* ch) -> std::unique_ptr<Translator> {
                        return std::make_unique<SwallowsRefusal>(c, ch);
                      }};
}

TEST(CandidateReplayerFaults, ARecordingWithAFaultReplaysConsistently) {
  const StepPool pool = Pool(RecordedTrace());
  CandidateReplayer replayer(DeviceConfig{}, false, *FindReplayTarget("recorded"));
  std::vector<StepRecord> log;
  CandidateOutcome out = replayer.Replay(pool, Identity(pool.size()), &log);
  EXPECT_EQ(out.verdict, CandidateOutcome::Verdict::kPass) << FormatLog(log);
  ASSERT_EQ(log[kRefusedAdd].faults.size(), 1u);
  EXPECT_EQ(log[kRefusedAdd].faults[0].site, "device_rejects_update");

  // Without its fault the recording's EFAULT is contradicted by the device.
  const StepPool bare = WithoutFaults(pool);
  out = replayer.Replay(bare, Identity(bare.size()));
  ASSERT_EQ(out.verdict, CandidateOutcome::Verdict::kFail);
  EXPECT_EQ(out.identity.rule, OracleRule::kRecordedAnswer);
  EXPECT_EQ(out.position, kRefusedAdd);
}

TEST(CandidateReplayerFaults, ATranslatorReplayMeetsTheSameFaults) {
  const StepPool pool = Pool(RecordedTrace());
  CandidateReplayer decoupled(DeviceConfig{}, false, *FindReplayTarget("decoupled"));
  std::vector<StepRecord> log;
  EXPECT_EQ(decoupled.Replay(pool, Identity(pool.size()), &log).verdict,
            CandidateOutcome::Verdict::kPass);
  EXPECT_EQ(log[kRefusedAdd].rc, EFAULT);

  CandidateReplayer variant(DeviceConfig{}, false, Swallows());
  CandidateOutcome out = variant.Replay(pool, Identity(pool.size()));
  ASSERT_EQ(out.verdict, CandidateOutcome::Verdict::kFail);
  EXPECT_EQ(out.identity.rule, OracleRule::kTranslatorError);
  EXPECT_EQ(out.position, kRefusedAdd);
  // Without the fault the variant is decoupled itself.
  const StepPool bare = WithoutFaults(pool);
  EXPECT_EQ(variant.Replay(bare, Identity(bare.size())).verdict,
            CandidateOutcome::Verdict::kPass);
}

TEST(CandidateReplayerFaults, AFailureThatNeedsItsFaultShrinksWithIt) {
  CandidateReplayer variant(DeviceConfig{}, false, Swallows());
  absl::StatusOr<ShrinkResult> shrunk = Shrink(Pool(RecordedTrace()), variant, ShrinkOptions{});
  ASSERT_TRUE(shrunk.ok()) << shrunk.status();
  EXPECT_EQ(shrunk->identity.rule, OracleRule::kTranslatorError);
  EXPECT_EQ(CountInputEvents(shrunk->steps, Identity(shrunk->steps.size())), 1u);
  const TraceStep& failing = shrunk->steps[shrunk->failing_index];
  const auto* add = std::get_if<RegionAddEvent>(&failing.event);
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->section.gpa, 2 * kMiB);  // the third section, the refused one
  ASSERT_EQ(failing.proto.faults_size(), 1);
  EXPECT_EQ(failing.proto.faults(0).site(), "device_rejects_update");
}

}  // namespace
}  // namespace iovacheck
