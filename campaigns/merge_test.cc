#include "campaigns/merge.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "campaigns/shard_result_io.h"
#include "gtest/gtest.h"

namespace iovacheck {
namespace {

campaigns::ScenarioShard Slice(uint64_t seeds_run, std::vector<uint64_t> failing) {
  campaigns::ScenarioShard s;
  s.set_scenario("q35");
  s.set_translator("legacy");
  s.set_device("emulated");
  s.set_steps(200);
  s.set_faults(true);
  s.set_seed_first(1);
  s.set_seed_last(5);
  s.set_seeds_run(seeds_run);
  s.set_events(100 * seeds_run);
  s.set_failing(failing.size());
  for (uint64_t seed : failing) {
    campaigns::SeedFailure* f = s.add_failures();
    f->set_seed(seed);
    f->set_report("FAIL scenario q35 seed " + std::to_string(seed) + " translator legacy: ...\n  more");
    f->set_trace("q35-legacy-seed" + std::to_string(seed) + ".trace");
  }
  s.mutable_coverage()->set_runs(seeds_run);
  (*s.mutable_coverage()->mutable_situations())["alias created"] = seeds_run;
  return s;
}

ShardFile Shard(const std::string& path, uint64_t index, uint64_t count,
                std::vector<campaigns::ScenarioShard> scenarios) {
  ShardFile f;
  f.path = path;
  f.result.set_format(kShardResultFormat);
  f.result.set_shard_index(index);
  f.result.set_shard_count(count);
  for (auto& s : scenarios) *f.result.add_scenarios() = std::move(s);
  return f;
}

// Seeds 1..5 over two shards (s % 2): shard 0 ran 2 and 4, shard 1 ran 1, 3
// and 5; 4 and 3 failed.
std::vector<ShardFile> TwoShards() {
  return {Shard("out/a/shard-1-of-2.json", 1, 2, {Slice(3, {3})}),
          Shard("out/b/shard-0-of-2.json", 0, 2, {Slice(2, {4})})};
}

TEST(MergeShards, SumsAndOrdersFailuresBySeed) {
  absl::StatusOr<MergedCampaign> m = MergeShards(TwoShards());
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->scenarios.size(), 1u);
  const campaigns::ScenarioShard& s = m->scenarios[0];
  EXPECT_EQ(s.seeds_run(), 5u);
  EXPECT_EQ(s.events(), 500u);
  EXPECT_EQ(s.failing(), 2u);
  ASSERT_EQ(s.failures_size(), 2);
  EXPECT_EQ(s.failures(0).seed(), 3u);
  EXPECT_EQ(s.failures(1).seed(), 4u);
  // Trace paths are read from beside their own shard file.
  EXPECT_EQ(s.failures(0).trace(), "out/a/q35-legacy-seed3.trace");
  EXPECT_EQ(s.failures(1).trace(), "out/b/q35-legacy-seed4.trace");
  EXPECT_EQ(s.coverage().situations().at("alias created"), 5u);
  const std::string text = FormatMergedCampaign(*m);
  EXPECT_NE(text.find("FAIL scenario q35 seed 3 translator legacy: ...\n  trace: out/a/"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("FAIL scenario q35, translator legacy, seeds 1..5 over 2 shards: 5 seeds "
                      "run, 2 failed"),
            std::string::npos)
      << text;
}

TEST(MergeShards, RefusesAMissingOrRepeatedShard) {
  std::vector<ShardFile> one = TwoShards();
  one.pop_back();
  absl::StatusOr<MergedCampaign> m = MergeShards(one);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("missing shard 0"), std::string::npos) << m.status();

  std::vector<ShardFile> twice = TwoShards();
  twice.push_back(twice[0]);
  m = MergeShards(twice);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("shard 1 of 2 twice"), std::string::npos) << m.status();
}

TEST(MergeShards, RefusesShardsThatDisagree) {
  std::vector<ShardFile> counts = TwoShards();
  counts[1].result.set_shard_count(3);
  EXPECT_FALSE(MergeShards(counts).ok());

  std::vector<ShardFile> settings = TwoShards();
  settings[1].result.mutable_scenarios(0)->set_translator("decoupled");
  absl::StatusOr<MergedCampaign> m = MergeShards(settings);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("out/b/shard-0-of-2.json ran translator decoupled"),
            std::string::npos)
      << m.status();

  std::vector<ShardFile> scenarios = TwoShards();
  scenarios[1].result.mutable_scenarios(0)->set_scenario("hotplug");
  EXPECT_FALSE(MergeShards(scenarios).ok());
}

TEST(MergeShards, RefusesShardsThatDidNotRunEverySeed) {
  std::vector<ShardFile> short_run = TwoShards();
  short_run[0].result.mutable_scenarios(0)->set_seeds_run(2);
  absl::StatusOr<MergedCampaign> m = MergeShards(short_run);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("ran 4 of the 5 seeds"), std::string::npos) << m.status();
}

TEST(ShardResultFile, RoundTripsAndNamesTheFileOfABadOne) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const ShardFile f = TwoShards()[0];
  const std::string path = ShardResultPath(dir, 1, 2);
  EXPECT_EQ(path, dir + "/shard-1-of-2.json");
  ASSERT_TRUE(WriteShardResult(path, f.result).ok());
  absl::StatusOr<campaigns::ShardResult> back = ReadShardResult(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), f.result.SerializeAsString());

  const std::string garbled = dir + "/garbled.json";
  std::ofstream(garbled) << "{\"format\": \"iovacheck-shard-result/1\", \"shard_index\": [";
  absl::StatusOr<campaigns::ShardResult> bad = ReadShardResult(garbled);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(garbled + ": not a shard result"), std::string::npos)
      << bad.status();

  const std::string other = dir + "/other.json";
  std::ofstream(other) << "{\"format\": \"something-else\"}";
  bad = ReadShardResult(other);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("format \"something-else\""), std::string::npos)
      << bad.status();

  bad = ReadShardResult(dir + "/absent.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("absent.json: cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace iovacheck
