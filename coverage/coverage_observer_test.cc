// The observer counts what a hand-made run meets, and nothing it does not.
#include "coverage/coverage_observer.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "model/test_fixtures.h"
#include "sim/harness.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

constexpr uint64_t kHva = 0x7f0000000000;

uint64_t Count(const Coverage& c, const std::string& situation) {
  auto it = c.situations.find(situation);
  return it == c.situations.end() ? 0 : it->second;
}

TEST(CoverageObserver, CountsTheSituationsARunMeets) {
  Coverage coverage;
  CoverageObserver observer(&coverage);
  HarnessOptions options;
  options.observer = &observer;
  Harness h(DeviceConfig{}, *FindTranslator("decoupled"), options);
  const Section low = S(0x0, 0x100000, kHva, "low");
  const Section next = S(0x100000, 0x100000, kHva + 0x200000, "next");
  const Section alias = S(0x400000, 0x10000, kHva + 0x10000, "alias");
  const std::vector<Event> events = {
      ListenerBeginEvent{},
      RegionAddEvent{low},
      RegionAddEvent{next},
      RegionAddEvent{alias},
      ListenerCommitEvent{},
      // Ends at low's last byte; then runs from low into next.
      TranslateEvent{{GuestIov(0xf0000, 0x10000)}},
      TranslateEvent{{GuestIov(0xf0000, 0x20000)}},
      // The alias goes while low lives, and comes back in the same transaction.
      ListenerBeginEvent{},
      RegionDelEvent{alias},
      RegionAddEvent{alias},
      ListenerCommitEvent{},
  };
  for (const Event& e : events) ASSERT_TRUE(h.Step(e).ok()) << EventToString(e);
  ASSERT_FALSE(h.failed()) << DivergenceToString(*h.divergence());
  observer.Finish(h);

  EXPECT_EQ(coverage.runs, 1u);
  EXPECT_EQ(coverage.events, events.size());
  EXPECT_EQ(coverage.event_kinds["region_add"], 4u);
  EXPECT_EQ(coverage.event_kinds["translate"], 2u);
  EXPECT_EQ(Count(coverage, "alias created"), 2u);  // first added, and added again
  EXPECT_EQ(Count(coverage, "alias deleted while its target lives"), 1u);
  EXPECT_EQ(Count(coverage, "section replaced inside one transaction"), 1u);
  EXPECT_EQ(Count(coverage, "translate ending at a section's last byte"), 1u);
  EXPECT_EQ(Count(coverage, "translate across a section end"), 1u);
  EXPECT_EQ(Count(coverage, "reset inside a batch"), 0u);
  EXPECT_GT(coverage.rules["coverage_stale"], 0u);
  EXPECT_GT(coverage.rules["leak"], 0u);
  EXPECT_EQ(coverage.rules["datapath"], 2u);
  EXPECT_GT(coverage.rules["translator_error"], 0u);

  const std::string text = FormatCoverage(coverage);
  EXPECT_NE(text.find("never:"), std::string::npos) << text;
  EXPECT_NE(text.find("reset inside a batch"), std::string::npos) << text;
  const std::string json = CoverageToJson(coverage);
  for (const std::string& s : KnownSituations()) {
    EXPECT_NE(json.find("\"" + s + "\": "), std::string::npos) << s;
  }
  EXPECT_TRUE(absl::StrContains(json, "\"alias created\": 2")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"never\": [\"")) << json;
}

TEST(CoverageObserver, ResetInsideATransactionAndABatch) {
  Coverage coverage;
  CoverageObserver observer(&coverage);
  HarnessOptions options;
  options.observer = &observer;
  Harness h(DeviceConfig{}, *FindTranslator("decoupled"), options);
  ASSERT_TRUE(h.Step(ListenerBeginEvent{}).ok());
  ASSERT_TRUE(h.Step(RegionAddEvent{S(0x0, 0x100000, kHva, "low")}).ok());
  ASSERT_TRUE(h.Step(DeviceResetEvent{}).ok());
  ASSERT_TRUE(h.Step(ListenerCommitEvent{}).ok());
  observer.Finish(h);
  EXPECT_EQ(Count(coverage, "reset inside a transaction"), 1u);
  // decoupled opens the device's batch with the transaction's first UPDATE
  // and closes it at the commit: the reset lands inside it.
  EXPECT_EQ(Count(coverage, "reset inside a batch"), 1u);
}

TEST(Coverage, MergeAddsEveryFamily) {
  Coverage a, b;
  a.runs = 1;
  a.events = 10;
  a.situations["alias created"] = 2;
  b.runs = 2;
  b.events = 5;
  b.situations["alias created"] = 1;
  b.fault_sites["message_lost"] = 3;
  a.Merge(b);
  EXPECT_EQ(a.runs, 3u);
  EXPECT_EQ(a.events, 15u);
  EXPECT_EQ(a.situations["alias created"], 3u);
  EXPECT_EQ(a.fault_sites["message_lost"], 3u);
}

}  // namespace
}  // namespace iovacheck
