// Removing units with their dependents keeps traces well formed and
// transactions balanced; removing them alone is judged by CheckWellFormed.
#include "shrink/trace_dependencies.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "shrink/candidate_replayer.h"
#include "shrink/well_formed.h"
#include "sim/buried_alias_trace.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 4096;

Section Ram(uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

HostBuffer Buffer(uint64_t hva, uint64_t size) { return HostBuffer{hva, size, 3, 0, "buf"}; }

// Positions named for the checks below.
enum : size_t {
  kBegin1, kAddS1, kCommit1,
  kMapInsideS1, kTranslateS1, kUnmapInsideS1,
  kBegin2, kDelS1, kCommit2,
  kMapReusingS1,
  kBegin3, kAddOverS1, kCommit3,
  kDma,
  kEmptyBegin, kEmptyCommit,
  kEvents
};

const Section kS1 = Ram(0x100000, 0x10000, 0x7f0000100000);
const Section kOverS1 = Ram(0x100000, 0x8000, 0x7f0000900000);

StepPool Pool() {
  Iovec in_s1;
  in_s1.has_gpa = true;
  in_s1.gpa = kS1.gpa + 0x100;
  in_s1.hva = kS1.hva + 0x100;
  in_s1.len = 0x10;
  const std::vector<Event> events = {
      ListenerBeginEvent{}, RegionAddEvent{kS1}, ListenerCommitEvent{},
      HostMapEvent{Buffer(kS1.hva + 0x4000, 0x1000)}, TranslateEvent{{in_s1}},
      HostUnmapEvent{kS1.hva + 0x4000, 0x1000, 0},
      ListenerBeginEvent{}, RegionDelEvent{kS1}, ListenerCommitEvent{},
      HostMapEvent{Buffer(kS1.hva, 0x2000)},
      ListenerBeginEvent{}, RegionAddEvent{kOverS1}, ListenerCommitEvent{},
      DeviceDmaEvent{0, 0x1000, 0x10, false},
      ListenerBeginEvent{}, ListenerCommitEvent{},
  };
  StepPool pool;
  for (const Event& e : events) pool.push_back(SynthesizedStep(e));
  return pool;
}

size_t UnitAt(const TraceDependencies& deps, size_t position) {
  std::optional<size_t> u = deps.UnitAt(position);
  EXPECT_TRUE(u.has_value()) << "no unit at " << position;
  return u.value_or(0);
}

StepOrder Positions(std::vector<uint32_t> positions) { return positions; }

TEST(TraceDependencies, UnitsAreInputEventsAndEmptyTransactions) {
  const StepPool pool = Pool();
  ASSERT_EQ(pool.size(), kEvents);
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  EXPECT_EQ(deps.unit_count(), 9u);
  EXPECT_FALSE(deps.UnitAt(kBegin1).has_value());
  EXPECT_EQ(deps.UnitPosition(UnitAt(deps, kEmptyCommit)), kEmptyBegin);
  EXPECT_EQ(deps.Partner(kAddS1), kDelS1);
  EXPECT_EQ(deps.Partner(kMapInsideS1), kUnmapInsideS1);
  EXPECT_FALSE(deps.Partner(kTranslateS1).has_value());
}

TEST(TraceDependencies, RemovingARegionAddRemovesWhatDependsOnIt) {
  const StepPool pool = Pool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  const StepOrder got = deps.Without({UnitAt(deps, kAddS1)}, /*close=*/true);
  // Its del, the translation of its memory, the buffer inside its HVA (with
  // that buffer's unmap), and both transactions left empty.
  EXPECT_EQ(got, Positions({kMapReusingS1, kBegin3, kAddOverS1, kCommit3, kDma, kEmptyBegin,
                            kEmptyCommit}));
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());
}

TEST(TraceDependencies, RemovingADelAloneExtendsTheSectionsLife) {
  const StepPool pool = Pool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  const StepOrder got = deps.Without({UnitAt(deps, kDelS1)}, /*close=*/true);
  // S1 lives on: the section over its GPA and the buffer reusing its HVA go.
  EXPECT_EQ(got, Positions({kBegin1, kAddS1, kCommit1, kMapInsideS1, kTranslateS1,
                            kUnmapInsideS1, kDma, kEmptyBegin, kEmptyCommit}));
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());
}

TEST(TraceDependencies, RemovingAHostMapRemovesItsUnmap) {
  const StepPool pool = Pool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  const StepOrder got = deps.Without({UnitAt(deps, kMapInsideS1)}, /*close=*/true);
  EXPECT_EQ(std::count(got.begin(), got.end(), kUnmapInsideS1), 0);
  EXPECT_EQ(got.size(), kEvents - 2);
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());
}

TEST(TraceDependencies, AnEmptyTransactionGoesWhole) {
  const StepPool pool = Pool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  const StepOrder got = deps.Without({UnitAt(deps, kEmptyBegin)}, /*close=*/false);
  EXPECT_EQ(got.size(), kEvents - 2);
  EXPECT_EQ(got.back(), kDma);
}

TEST(TraceDependencies, LoneRemovalsAreJudgedByTheModel) {
  const StepPool pool = Pool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  // The del without its add: nothing live to delete.
  absl::Status s = CheckWellFormed(DeviceConfig{}, pool,
                                   deps.Without({UnitAt(deps, kAddS1)}, /*close=*/false));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StartsWith(s.message(), "event 4 (region_del)")) << s;
  // The add outliving its del: the later section over its GPA is refused.
  s = CheckWellFormed(DeviceConfig{}, pool,
                      deps.Without({UnitAt(deps, kDelS1)}, /*close=*/false));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "(region_add)")) << s;
  // A lone translation: fine.
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool,
                              deps.Without({UnitAt(deps, kTranslateS1)}, false))
                  .ok());
}

// Whatever chunks the shrinker cuts from a long generated trace, the closed
// result is well formed, and a real replay (decoupled passes the trace)
// neither refuses it nor finds a divergence.
TEST(TraceDependencies, ClosedRemovalsFromAGeneratedTraceStayWellFormed) {
  BuriedAliasOptions options;
  options.min_input_events = 1500;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  StepPool pool;
  for (const Event& e : generated.events) pool.push_back(SynthesizedStep(e));
  const StepOrder all = Identity(pool.size());
  const TraceDependencies deps(pool, all, generated.config.page_size);
  CandidateReplayer replayer(generated.config, false, *FindReplayTarget("decoupled"));
  SplitMix64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<size_t> units;
    const uint64_t chunks = rng.InRange(1, 4);
    for (uint64_t c = 0; c < chunks; ++c) {
      const uint64_t first = rng.Below(deps.unit_count());
      const uint64_t len = rng.InRange(1, 64);
      for (uint64_t u = first; u < first + len && u < deps.unit_count(); ++u) units.push_back(u);
    }
    const StepOrder candidate = deps.Without(units, /*close=*/true);
    ASSERT_TRUE(CheckWellFormed(generated.config, pool, candidate).ok())
        << "trial " << trial << ": " << CheckWellFormed(generated.config, pool, candidate);
    const CandidateOutcome out = replayer.Replay(pool, candidate);
    ASSERT_EQ(out.verdict, CandidateOutcome::Verdict::kPass)
        << "trial " << trial << " at " << out.position << ": " << out.refusal;
  }
}

}  // namespace
}  // namespace iovacheck
