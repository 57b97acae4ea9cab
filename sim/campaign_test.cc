// Campaigns: seed ranges parse strictly; which seeds fail depends on neither
// the number of threads nor the shard split; stopping at the first failure
// finds the lowest failing seed.
#include "sim/campaign.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/scenario.h"

namespace iovacheck {
namespace {

TEST(ParseSeedRange, InclusiveRangesAndSingleSeeds) {
  absl::StatusOr<SeedRange> r = ParseSeedRange("3..17");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->first, 3u);
  EXPECT_EQ(r->last, 17u);
  r = ParseSeedRange("42");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->first, 42u);
  EXPECT_EQ(r->last, 42u);
  EXPECT_TRUE(ParseSeedRange("5..5").ok());
}

TEST(ParseSeedRange, RefusesWhatIsNotARange) {
  for (const char* bad : {"", "..", "1..", "..5", "5..1", "1...5", "1..2..3", "a..b", "-1..3",
                          "+1..3", " 1..3", "1..99999999999999999999"}) {
    absl::StatusOr<SeedRange> r = ParseSeedRange(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("--seeds="), std::string::npos);
    }
  }
}

std::vector<uint64_t> FailingSeeds(const CampaignSummary& s) {
  std::vector<uint64_t> out;
  for (const SeedFailure& f : s.failures) out.push_back(f.seed);
  return out;
}

CampaignOptions Legacy(uint64_t last) {
  CampaignOptions o;
  o.scenario = ScenarioNames().front();
  o.seeds = SeedRange{1, last};
  o.translator = "legacy";
  o.steps = 100;
  return o;
}

TEST(RunCampaign, FailuresDoNotDependOnThreadsOrShards) {
  CampaignOptions one = Legacy(40);
  const CampaignSummary serial = RunCampaign(one);
  EXPECT_EQ(serial.seeds_total, 40u);
  EXPECT_EQ(serial.seeds_run, 40u);
  ASSERT_FALSE(serial.failures.empty()) << "legacy should fail some seed of " << one.scenario;

  CampaignOptions four = one;
  four.jobs = 4;
  const CampaignSummary parallel = RunCampaign(four);
  EXPECT_EQ(FailingSeeds(parallel), FailingSeeds(serial));
  EXPECT_EQ(parallel.events, serial.events);

  std::vector<uint64_t> sharded;
  uint64_t run = 0, events = 0;
  for (uint64_t shard = 0; shard < 3; ++shard) {
    CampaignOptions part = one;
    part.shard_count = 3;
    part.shard_index = shard;
    const CampaignSummary s = RunCampaign(part);
    EXPECT_EQ(s.seeds_total, s.seeds_run);
    run += s.seeds_run;
    events += s.events;
    for (uint64_t seed : FailingSeeds(s)) {
      EXPECT_EQ(seed % 3, shard);
      sharded.push_back(seed);
    }
  }
  std::sort(sharded.begin(), sharded.end());
  EXPECT_EQ(run, 40u);
  EXPECT_EQ(events, serial.events);
  EXPECT_EQ(sharded, FailingSeeds(serial));
}

TEST(RunCampaign, StopsAtTheLowestFailingSeed) {
  const CampaignSummary all = RunCampaign(Legacy(40));
  ASSERT_FALSE(all.failures.empty());
  for (int jobs : {1, 2, 5}) {
    CampaignOptions o = Legacy(40);
    o.jobs = jobs;
    o.stop_at_first_failure = true;
    const CampaignSummary first = RunCampaign(o);
    ASSERT_EQ(first.failures.size(), 1u) << jobs << " jobs";
    EXPECT_TRUE(first.stopped_early);
    EXPECT_EQ(first.failures[0].seed, all.failures[0].seed) << jobs << " jobs";
  }
}

// Only the lowest max_failures_kept failing seeds keep their results,
// whatever the threads; every failing seed is counted.
TEST(RunCampaign, KeepsTheLowestFailuresAndCountsTheRest) {
  const CampaignSummary all = RunCampaign(Legacy(40));
  ASSERT_GT(all.failures.size(), 3u);
  EXPECT_EQ(all.failing, all.failures.size());
  for (int jobs : {1, 3}) {
    CampaignOptions o = Legacy(40);
    o.jobs = jobs;
    o.max_failures_kept = 3;
    const CampaignSummary kept = RunCampaign(o);
    EXPECT_EQ(kept.failing, all.failing) << jobs << " jobs";
    const std::vector<uint64_t> every = FailingSeeds(all);
    EXPECT_EQ(FailingSeeds(kept), std::vector<uint64_t>(every.begin(), every.begin() + 3))
        << jobs << " jobs";
  }
}

TEST(RunCampaign, ProgressCountsEverySeed) {
  CampaignOptions o;
  o.scenario = ScenarioNames().front();
  o.seeds = SeedRange{10, 19};
  o.steps = 20;
  o.jobs = 3;
  uint64_t calls = 0, last_done = 0;
  o.progress = [&](const CampaignProgress& p) {
    ++calls;
    EXPECT_EQ(p.seeds_total, 10u);
    EXPECT_EQ(p.seeds_done, last_done + 1);  // serialised, in order of completion
    last_done = p.seeds_done;
  };
  const CampaignSummary s = RunCampaign(o);
  EXPECT_EQ(calls, 10u);
  EXPECT_EQ(s.seeds_run, 10u);
}

}  // namespace
}  // namespace iovacheck
