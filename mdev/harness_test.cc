// The mdev domain end to end: the `mdev` scenario against every tracker, the
// harness's rules, and the deliberately wrong driver caught and shrunk.
#include "mdev/harness.h"

#include <iostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mdev/registry.h"
#include "mdev/scenario.h"
#include "mdev/shrink.h"
#include "mdev/forgetful_tracker.h"
#include "mdev/tree_tracker.h"
#include "props/test_seed.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;
constexpr uint32_t kRW = kVfioDmaRead | kVfioDmaWrite;
constexpr uint64_t kRam = 0x7f0000000000;

std::string Describe(const std::vector<MdevEvent>& events) {
  std::string s;
  for (const MdevEvent& e : events) s += MdevEventToString(e) + "\n";
  return s;
}

const std::vector<std::string>& CorrectTrackers() {
  static const auto* names = new std::vector<std::string>{
      "mdev-tree-pin-all", "mdev-tree-pin-sparse", "mdev-array-pin-all", "mdev-array-pin-sparse"};
  return *names;
}

TEST(MdevScenario, OneSeedOneRun) {
  EXPECT_EQ(Describe(GenerateMdevRun(7, 300)), Describe(GenerateMdevRun(7, 300)));
  EXPECT_NE(Describe(GenerateMdevRun(7, 300)), Describe(GenerateMdevRun(8, 300)));
}

TEST(MdevScenario, ExercisesWhatTheIssueAsksFor) {
  // Over a few seeds: regions unmapped while the device holds pages, and
  // partial unmaps that type1 refuses.
  int unmapped_in_use = 0, refused_partial = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    auto h = MdevHarness::Create("mdev-tree-pin-sparse");
    ASSERT_TRUE(h.ok());
    for (const MdevEvent& e : GenerateMdevRun(seed, 200)) {
      const uint64_t pins_before = (*h)->container().TotalPins();
      const size_t regions_before = (*h)->container().Regions().size();
      ASSERT_EQ((*h)->Step(e), std::nullopt) << "seed " << seed << ": " << MdevEventToString(e);
      if (const auto* u = std::get_if<UnmapDmaEvent>(&e)) {
        const size_t regions_after = (*h)->container().Regions().size();
        if (regions_after < regions_before && pins_before > (*h)->container().TotalPins()) {
          ++unmapped_in_use;
        }
        if (regions_after == regions_before && (*h)->container().Find(u->iova) != nullptr) {
          ++refused_partial;
        }
      }
    }
    EXPECT_EQ((*h)->container().TotalPins(), 0u) << "seed " << seed << ": pins left at the end";
    EXPECT_TRUE((*h)->container().Regions().empty());
  }
  std::cout << unmapped_in_use << " unmaps took pinned pages, " << refused_partial
            << " partial unmaps were refused\n";
  EXPECT_GT(unmapped_in_use, 10);
  EXPECT_GT(refused_partial, 10);
}

TEST(MdevHarness, EveryCorrectTrackerAgreesWithType1) {
  // A tenth of the seeds under the sanitizers (IOVACHECK_TEST_SCALE).
  const uint64_t seeds = static_cast<uint64_t>(TestCases(40));
  for (const std::string& tracker : CorrectTrackers()) {
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
      absl::StatusOr<std::optional<MdevDivergence>> d =
          RunMdevEvents(tracker, GenerateMdevRun(seed, 200));
      ASSERT_TRUE(d.ok()) << d.status();
      EXPECT_EQ(*d, std::nullopt) << tracker << " seed " << seed << ": " << (*d)->rule << ": "
                                  << (*d)->actual;
    }
  }
}

TEST(MdevHarness, UsesAreHeldToType1sRegionsAndPermissions) {
  auto h = MdevHarness::Create("mdev-array-pin-sparse");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)->Step(MapDmaEvent{0x100000, 4 * kPage, kRam, kVfioDmaRead}), std::nullopt);
  EXPECT_EQ((*h)->Step(DeviceUseEvent{0x101000, kVfioDmaRead}), std::nullopt);
  EXPECT_EQ((*h)->Step(DeviceUseEvent{0x101000, kVfioDmaWrite}), std::nullopt);  // refused
  EXPECT_EQ((*h)->Step(DeviceUseEvent{0x900000, kVfioDmaRead}), std::nullopt);   // no region
  EXPECT_EQ((*h)->container().TotalPins(), 1u);
  // A balloon's piece is refused and changes nothing.
  EXPECT_EQ((*h)->Step(UnmapDmaEvent{0x101000, kPage}), std::nullopt);
  EXPECT_EQ((*h)->container().TotalPins(), 1u);
  EXPECT_EQ((*h)->container().Regions().size(), 1u);
  // Unmapped while in use: the notifier lets the page go, and the late done
  // is nothing.
  EXPECT_EQ((*h)->Step(UnmapDmaEvent{0x100000, 4 * kPage}), std::nullopt);
  EXPECT_EQ((*h)->Step(DeviceDoneEvent{0x101000}), std::nullopt);
  EXPECT_EQ((*h)->container().TotalPins(), 0u);
}

// A driver that answers one page off.
class OnePageOff : public ForgetfulTracker {
 public:
  using ForgetfulTracker::ForgetfulTracker;
  int Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) override {
    const int err = ForgetfulTracker::Acquire(gpa, prot, vaddr);
    if (err == 0) *vaddr += kPage;
    return err;
  }
};

TEST(MdevHarness, AWrongVaddrIsATranslationDivergence) {
  auto h = MdevHarness::CreateWith([](VfioType1Container* c) {
    return std::make_unique<OnePageOff>(std::make_unique<TreeTracker>(c, PinPolicy::kPinAll));
  });
  EXPECT_EQ(h->Step(MapDmaEvent{0x100000, 4 * kPage, kRam, kRW}), std::nullopt);
  std::optional<MdevDivergence> d = h->Step(DeviceUseEvent{0x101008, kVfioDmaRead});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, "translation");
  EXPECT_EQ(d->event_index, 1u);
  EXPECT_EQ(d->expected, "vaddr 0x7f0000001008");
}

TEST(MdevHarness, TheForgetfulDriverIsCaughtAndShrunkToThreeEvents) {
  // Found by the scenario within the first seeds...
  std::vector<MdevEvent> failing;
  uint64_t seed = 1;
  for (; seed <= 20 && failing.empty(); ++seed) {
    std::vector<MdevEvent> run = GenerateMdevRun(seed, 200);
    absl::StatusOr<std::optional<MdevDivergence>> d = RunMdevEvents("mdev-tree-forgets-unpin", run);
    ASSERT_TRUE(d.ok());
    if (d->has_value()) {
      EXPECT_EQ((*d)->rule, "pin-leak");
      failing = run;
    }
  }
  ASSERT_FALSE(failing.empty()) << "no seed caught a driver that never unpins";
  // ...and shrunk to its essence: a region, a page the device uses, the
  // region unmapped while that page is pinned.
  absl::StatusOr<MdevShrinkResult> shrunk = ShrinkMdevRun("mdev-tree-forgets-unpin", failing);
  ASSERT_TRUE(shrunk.ok()) << shrunk.status();
  std::cout << "seed " << seed - 1 << ": " << failing.size() << " -> " << shrunk->events.size()
            << " events in " << shrunk->replays << " replays\n"
            << Describe(shrunk->events)
            << MdevDivergenceToString(shrunk->divergence,
                                      shrunk->events[shrunk->divergence.event_index])
            << "\n";
  EXPECT_FALSE(shrunk->budget_exhausted);
  EXPECT_EQ(shrunk->divergence.rule, "pin-leak");
  ASSERT_EQ(shrunk->events.size(), 3u) << Describe(shrunk->events);
  EXPECT_TRUE(std::holds_alternative<MapDmaEvent>(shrunk->events[0])) << Describe(shrunk->events);
  EXPECT_TRUE(std::holds_alternative<DeviceUseEvent>(shrunk->events[1]))
      << Describe(shrunk->events);
  EXPECT_TRUE(std::holds_alternative<UnmapDmaEvent>(shrunk->events[2])) << Describe(shrunk->events);
  // The correct driver passes the same three events.
  absl::StatusOr<std::optional<MdevDivergence>> correct =
      RunMdevEvents("mdev-tree-pin-sparse", shrunk->events);
  ASSERT_TRUE(correct.ok());
  EXPECT_EQ(*correct, std::nullopt);
}

TEST(MdevShrink, ARunThatPassesIsNotShrunk) {
  EXPECT_EQ(ShrinkMdevRun("mdev-tree-pin-all", GenerateMdevRun(1, 50)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MdevRegistry, UnknownNamesAreRefusedNamingTheKnownOnes) {
  VfioType1Container c;
  absl::StatusOr<std::unique_ptr<MdevTracker>> t = MakeTracker("mdev-list", &c);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(t.status().message()).find("mdev-tree-pin-sparse"), std::string::npos);
}

}  // namespace
}  // namespace iovacheck
