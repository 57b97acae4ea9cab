// The shrinker's acceptance: a 10,000-event trace against legacy with the
// aliasing bug buried in it shrinks to the seeds' pattern in under ten
// seconds, the result is 1-minimal, the failure keeps its identity, and the
// imported buggy QEMU log shrinks under --recorded to the same pattern.
//
// "Input events" never count listener_begin/commit markers.
#include "shrink/shrinker.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "shrink/trace_dependencies.h"
#include "sim/buried_alias_trace.h"
#include "traces/qemu_log_import.h"
#include "traces/trace_codec.h"
#include "translator/decoupled_translator.h"
#include "translator/forwarding_translator.h"

namespace iovacheck {
namespace {

StepPool PoolOf(const std::vector<Event>& events) {
  StepPool pool;
  for (const Event& e : events) pool.push_back(SynthesizedStep(e));
  return pool;
}

std::vector<Event> InputEvents(const StepPool& steps) {
  std::vector<Event> out;
  for (const TraceStep& s : steps) {
    if (!IsMarker(s.event)) out.push_back(s.event);
  }
  return out;
}

// Every listener_begin has its commit, nothing nests.
bool Balanced(const StepPool& steps) {
  bool open = false;
  for (const TraceStep& s : steps) {
    if (std::holds_alternative<ListenerBeginEvent>(s.event)) {
      if (open) return false;
      open = true;
    } else if (std::holds_alternative<ListenerCommitEvent>(s.event)) {
      if (!open) return false;
      open = false;
    }
  }
  return !open;
}

// RAM, an alias inside its HVA, the alias deleted: the seeds' pattern.
void ExpectSeedsPattern(const StepPool& steps) {
  const std::vector<Event> in = InputEvents(steps);
  ASSERT_EQ(in.size(), 3u);
  const auto* ram = std::get_if<RegionAddEvent>(&in[0]);
  const auto* alias = std::get_if<RegionAddEvent>(&in[1]);
  const auto* del = std::get_if<RegionDelEvent>(&in[2]);
  ASSERT_TRUE(ram && alias && del);
  const Section& r = ram->section;
  const Section& a = alias->section;
  EXPECT_GE(a.hva, r.hva);
  EXPECT_LE(a.hva + a.size, r.hva + r.size) << "the alias is not inside the RAM's HVA";
  EXPECT_EQ(del->section.gpa, a.gpa);
  EXPECT_EQ(del->section.hva, a.hva);
}

ShrinkResult ShrinkOrDie(StepPool pool, CandidateReplayer& replayer, ShrinkOptions options) {
  absl::StatusOr<ShrinkResult> r = Shrink(std::move(pool), replayer, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ShrinkResult{};
}

void Print(const ShrinkStats& s) {
  std::cout << absl::StrCat(s.original_events, " events (", s.original_input_events,
                            " input) -> ", s.events, " (", s.input_events, " input) in ",
                            absl::FormatDuration(s.elapsed), ", ", s.replays, " replays, ",
                            s.events_stepped, " events stepped, ", s.other_failures,
                            " other failures\n");
}

// The 10,000-event run, shared by the tests that look at its result.
struct TenThousand {
  BuriedAliasTrace generated;
  ShrinkResult result;
};

const TenThousand& TenThousandRun() {
  static const TenThousand* run = [] {
    auto* r = new TenThousand;
    BuriedAliasOptions options;
    options.seed = 20261121;
    options.min_input_events = 10000;
    r->generated = MakeBuriedAliasTrace(options);
    CandidateReplayer replayer(r->generated.config, false, *FindReplayTarget("legacy"));
    ShrinkOptions shrink;
    // Bounded in work, never in time: a loaded machine must not turn this
    // into a different result.
    shrink.max_replays = 1000;
    r->result = ShrinkOrDie(PoolOf(r->generated.events), replayer, shrink);
    return r;
  }();
  return *run;
}

TEST(Shrinker, TenThousandEventsShrinkToTheSeedsPatternInFewReplays) {
  const TenThousand& run = TenThousandRun();
  const ShrinkStats& s = run.result.stats;
  Print(s);
  ASSERT_GE(run.generated.events.size(), 10000u);
  EXPECT_GE(s.original_input_events, 10000u);  // markers not counted
  EXPECT_FALSE(s.budget_exhausted);
  // The work, counted rather than timed (about 1 s on 2 idle cores).
  EXPECT_LE(s.replays, 200u);
  EXPECT_LE(s.input_events, 4u);
  ExpectSeedsPattern(run.result.steps);
  EXPECT_TRUE(Balanced(run.result.steps));
  EXPECT_EQ(run.result.identity, (FailureIdentity{OracleRule::kCoverage, "region_del"}));
  EXPECT_EQ(run.result.failing_index, run.result.steps.size() - 2);  // then its commit
  // The dependency closure never handed the harness a trace it refuses.
  EXPECT_EQ(s.refused, 0u);
  EXPECT_TRUE(s.one_minimal);
}

// Removing any single remaining input event (with the markers of a
// transaction it leaves empty) no longer fails this way: the candidate
// passes, or it is not well formed and the model refuses it (a region_del
// whose region_add is gone). With its dependents, it always passes.
TEST(Shrinker, TheResultIsOneMinimal) {
  const TenThousand& run = TenThousandRun();
  const StepPool& steps = run.result.steps;
  const StepOrder all = Identity(steps.size());
  const TraceDependencies deps(steps, all, run.generated.config.page_size);
  CandidateReplayer legacy(run.generated.config, false, *FindReplayTarget("legacy"));
  ASSERT_EQ(deps.unit_count(), CountInputEvents(steps, all));
  for (size_t u = 0; u < deps.unit_count(); ++u) {
    const CandidateOutcome alone = legacy.Replay(steps, deps.Without({u}, false));
    EXPECT_NE(alone.verdict, CandidateOutcome::Verdict::kFail)
        << "still fails without input event " << u << " alone";
    const CandidateOutcome closed = legacy.Replay(steps, deps.Without({u}, true));
    EXPECT_EQ(closed.verdict, CandidateOutcome::Verdict::kPass)
        << "still fails without input event " << u << " and its dependents";
  }
}

// A translator with two bugs: it forgets region_del of read-only sections
// entirely, and refuses every translation while no host buffer is mapped.
class TwoBugs : public ForwardingTranslator {
 public:
  TwoBugs(const DeviceConfig& c, IotlbChannel* ch)
      : ForwardingTranslator(std::make_unique<DecoupledTranslator>(c, ch)) {}
  int RegionDel(const GuestSection& s) override {
    return s.readonly ? 0 : inner().RegionDel(s);
  }
  int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override {
    ++buffers_;
    return inner().MapHostBuffer(hva, size, perm, asid);
  }
  int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) override {
    --buffers_;
    return inner().UnmapHostBuffer(hva, size, asid);
  }
  int TranslateBuffer(const std::vector<Iovec>& iovecs, std::vector<uint64_t>* iovas) override {
    return buffers_ == 0 ? EFAULT : inner().TranslateBuffer(iovecs, iovas);
  }

 private:
  int buffers_ = 0;
};

// Without the host buffer the trace fails sooner, at the translation, as the
// other bug: that candidate must not count.
TEST(Shrinker, KeepsTheFailuresIdentity) {
  Section ro;
  ro.gpa = 0x100000;
  ro.size = 0x10000;
  ro.hva = 0x7f0000100000;
  ro.readonly = true;
  Iovec in_ro{ro.gpa, ro.hva, 0x100, true, false};
  const std::vector<Event> events = {
      HostMapEvent{HostBuffer{0x7e0000000000, 0x1000, 3, 0, "ring"}},
      ListenerBeginEvent{}, RegionAddEvent{ro}, ListenerCommitEvent{},
      TranslateEvent{{in_ro}},
      ListenerBeginEvent{}, RegionDelEvent{ro}, ListenerCommitEvent{},
  };
  DeviceConfig config;
  CandidateReplayer replayer(
      config, false,
      ReplayTarget{"two-bugs", [](const DeviceConfig& c, IotlbChannel* ch) {
                     return std::unique_ptr<Translator>(new TwoBugs(c, ch));
                   }});
  const CandidateOutcome original = replayer.Replay(PoolOf(events), Identity(events.size()));
  ASSERT_EQ(original.verdict, CandidateOutcome::Verdict::kFail);
  ASSERT_EQ(original.identity.event_kind, "region_del");

  const ShrinkResult r = ShrinkOrDie(PoolOf(events), replayer, ShrinkOptions{});
  EXPECT_EQ(r.identity, original.identity);
  EXPECT_GE(r.stats.other_failures, 1u);
  const std::vector<Event> in = InputEvents(r.steps);
  ASSERT_EQ(in.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<RegionAddEvent>(in[0]));
  EXPECT_TRUE(std::holds_alternative<RegionDelEvent>(in[1]));
  EXPECT_TRUE(std::get<RegionAddEvent>(in[0]).section.readonly);
}

// A log checked into traces/qemu/, from the test's runfiles.
std::string QemuLog(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/", workspace ? workspace : "iovacheck",
                      "/traces/qemu/", name);
}

TEST(Shrinker, ImportedQemuLogShrinksUnderRecordedToTheSamePattern) {
  absl::StatusOr<trace::Trace> imported =
      ImportQemuLog(QemuLog("seeds_aliasing_old_qemu.log"), ImportOptions{}, nullptr);
  ASSERT_TRUE(imported.ok()) << imported.status();
  absl::StatusOr<StepPool> pool = StepsFromTrace(*imported, "seeds_aliasing_old_qemu.log");
  ASSERT_TRUE(pool.ok()) << pool.status();
  absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(imported->header().device());
  ASSERT_TRUE(config.ok()) << config.status();
  CandidateReplayer replayer(*config, false, *FindReplayTarget("recorded"));
  ShrinkOptions options;
  options.simplify_fields = false;  // as `shrink --recorded` does
  const ShrinkResult r = ShrinkOrDie(*std::move(pool), replayer, options);
  Print(r.stats);
  EXPECT_LT(r.stats.input_events, r.stats.original_input_events);
  ExpectSeedsPattern(r.steps);
  EXPECT_TRUE(Balanced(r.steps));
  EXPECT_EQ(r.identity, (FailureIdentity{OracleRule::kCoverage, "region_del"}));
  EXPECT_TRUE(r.stats.one_minimal);
  // The recorded messages went with their events: only low RAM's UPDATE,
  // the alias's and the wrong INVALIDATE are left.
  int messages = 0;
  for (const TraceStep& s : r.steps) messages += s.proto.sent_size();
  EXPECT_EQ(messages, 3);
}

TEST(Shrinker, AnExhaustedBudgetGivesTheBestSoFar) {
  BuriedAliasOptions options;
  options.min_input_events = 1000;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  CandidateReplayer replayer(generated.config, false, *FindReplayTarget("legacy"));
  ShrinkOptions shrink;
  shrink.max_replays = 0;  // the whole trace's replay only
  const ShrinkResult r = ShrinkOrDie(PoolOf(generated.events), replayer, shrink);
  EXPECT_TRUE(r.stats.budget_exhausted);
  EXPECT_FALSE(r.stats.one_minimal);
  // Only the cut was made: up to the failing delete and its commit.
  EXPECT_EQ(r.steps.size(), generated.alias_delete_index + 2);
  EXPECT_EQ(r.identity.event_kind, "region_del");
}

// The time budget (the command line's --budget) ends the work the same way;
// a zero budget is spent before any candidate, on any machine.
TEST(Shrinker, AZeroTimeBudgetIsSpentAtOnce) {
  BuriedAliasOptions options;
  options.min_input_events = 1000;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  CandidateReplayer replayer(generated.config, false, *FindReplayTarget("legacy"));
  ShrinkOptions shrink;
  shrink.budget = absl::ZeroDuration();
  const ShrinkResult r = ShrinkOrDie(PoolOf(generated.events), replayer, shrink);
  EXPECT_TRUE(r.stats.budget_exhausted);
  EXPECT_FALSE(r.stats.one_minimal);
  EXPECT_EQ(r.stats.replays, 1u);
}

TEST(Shrinker, IsDeterministicAndReportsProgress) {
  BuriedAliasOptions options;
  options.min_input_events = 1000;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  std::vector<std::string> runs;
  uint64_t reports = 0;
  size_t last_left = ~size_t{0};
  bool shrinking = true;
  for (int run = 0; run < 2; ++run) {
    CandidateReplayer replayer(generated.config, false, *FindReplayTarget("legacy"));
    ShrinkOptions shrink;
    shrink.progress = [&](const ShrinkProgress& p) {
      ++reports;
      shrinking &= p.input_events <= last_left;
      last_left = p.input_events;
    };
    const ShrinkResult r = ShrinkOrDie(PoolOf(generated.events), replayer, shrink);
    std::string text;
    for (const TraceStep& s : r.steps) text += EventToString(s.event) + "\n";
    runs.push_back(text);
    EXPECT_EQ(reports, r.stats.replays);
    reports = 0;
    last_left = ~size_t{0};
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_TRUE(shrinking) << "the best trace so far grew";
}

TEST(Shrinker, RefusesTracesThatPassOrAreMalformed) {
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(BuriedAliasOptions{1, 300, 0.5});
  CandidateReplayer decoupled(generated.config, false, *FindReplayTarget("decoupled"));
  absl::StatusOr<ShrinkResult> r = Shrink(PoolOf(generated.events), decoupled, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();

  Section never;
  never.gpa = 0x1000;
  never.size = 0x1000;
  const std::vector<Event> bad = {ListenerBeginEvent{}, RegionDelEvent{never},
                                  ListenerCommitEvent{}};
  r = Shrink(PoolOf(bad), decoupled, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_EQ(r.status().message().substr(0, 22), "event 1 (region_del): ");
}

}  // namespace
}  // namespace iovacheck
