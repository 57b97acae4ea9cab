#include "campaigns/shard_spec.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

// An environment of our own, not the process's.
GetEnv Env(std::map<std::string, std::string> vars) {
  auto held = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [held](const char* name) -> const char* {
    auto it = held->find(name);
    return it == held->end() ? nullptr : it->second.c_str();
  };
}

TEST(ParseShard, TakesIndexOverCount) {
  absl::StatusOr<ShardSpec> s = ParseShard("3/4");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->index, 3u);
  EXPECT_EQ(s->count, 4u);
  EXPECT_EQ(s->source, "--shard");
}

TEST(ParseShard, RefusesWhatIsNotAShard) {
  for (const char* bad : {"4/4", "1/0", "1", "a/4", "1/4/5", "-1/4", "", "/"}) {
    absl::StatusOr<ShardSpec> s = ParseShard(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.status().message().find("--shard="), std::string::npos) << s.status();
  }
}

TEST(ShardFromEnvironment, NoneWhenNoEngineSetIt) {
  absl::StatusOr<std::optional<ShardSpec>> s = ShardFromEnvironment(Env({}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->has_value());
}

TEST(ShardFromEnvironment, BazelTestSharding) {
  auto s = ShardFromEnvironment(Env({{"TEST_SHARD_INDEX", "2"}, {"TEST_TOTAL_SHARDS", "5"}}));
  ASSERT_TRUE(s.ok() && s->has_value()) << s.status();
  EXPECT_EQ((*s)->index, 2u);
  EXPECT_EQ((*s)->count, 5u);
  EXPECT_EQ((*s)->source, "TEST_SHARD_INDEX");
}

// `sbatch --array=1-4`: tasks 1..4 are shards 0..3.
TEST(ShardFromEnvironment, SlurmArrayCountsFromItsMinimum) {
  auto s = ShardFromEnvironment(Env({{"SLURM_ARRAY_TASK_ID", "4"},
                                     {"SLURM_ARRAY_TASK_MIN", "1"},
                                     {"SLURM_ARRAY_TASK_MAX", "4"},
                                     {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(s.ok() && s->has_value()) << s.status();
  EXPECT_EQ((*s)->index, 3u);
  EXPECT_EQ((*s)->count, 4u);
  EXPECT_EQ((*s)->source, "SLURM_ARRAY_TASK_ID");
}

TEST(ShardFromEnvironment, BazelWinsInsideASlurmJob) {
  auto s = ShardFromEnvironment(Env({{"TEST_SHARD_INDEX", "0"},
                                     {"TEST_TOTAL_SHARDS", "2"},
                                     {"SLURM_ARRAY_TASK_ID", "3"},
                                     {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(s.ok() && s->has_value()) << s.status();
  EXPECT_EQ((*s)->count, 2u);
}

TEST(ShardFromEnvironment, GarbledOrInconsistentVariablesAreNamed) {
  const std::map<std::string, std::string> bad[] = {
      {{"TEST_TOTAL_SHARDS", "x"}, {"TEST_SHARD_INDEX", "0"}},
      {{"TEST_TOTAL_SHARDS", "2"}},
      {{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "2"}},
      {{"SLURM_ARRAY_TASK_COUNT", "4"}},
      {{"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_ID", "9"}},
      // --array=0-6:2 has four tasks that are not 0..3.
      {{"SLURM_ARRAY_TASK_COUNT", "4"},
       {"SLURM_ARRAY_TASK_ID", "2"},
       {"SLURM_ARRAY_TASK_MIN", "0"},
       {"SLURM_ARRAY_TASK_MAX", "6"}},
  };
  for (const auto& vars : bad) {
    auto s = ShardFromEnvironment(Env(vars));
    ASSERT_FALSE(s.ok()) << vars.begin()->first;
    EXPECT_NE(s.status().message().find(vars.begin()->first.substr(0, 5)), std::string::npos)
        << s.status();
  }
}

}  // namespace
}  // namespace iovacheck
