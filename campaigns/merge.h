// Shard results (campaigns/shard_result.proto) combined into the campaign
// they are slices of: every shard present once, every scenario run with the
// same settings in each, every seed of the range run; failures in seed
// order, counts and coverage summed. The same seeds sharded any way merge to
// the same failures.
#ifndef IOVACHECK_CAMPAIGNS_MERGE_H_
#define IOVACHECK_CAMPAIGNS_MERGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "campaigns/shard_result.pb.h"

namespace iovacheck {

struct ShardFile {
  std::string path;  // where it was read; failures' trace paths are relative to its directory
  campaigns::ShardResult result;
};

struct MergedCampaign {
  uint64_t shard_count = 0;
  // One per scenario, in the order the shards list them; failures' trace
  // paths made relative to the current directory's view (as given: the
  // shard file's directory joined with the stored path).
  std::vector<campaigns::ScenarioShard> scenarios;
};

// InvalidArgument, naming the files, when the shards disagree (counts,
// settings, scenarios), repeat a shard, miss one, or did not run every seed.
absl::StatusOr<MergedCampaign> MergeShards(const std::vector<ShardFile>& shards);

// A block per scenario: its failures (each report's first line, then its
// trace and minimal trace), then "PASS|FAIL scenario S, translator T, seeds
// A..B over N shards: ..."; the coverage, when the shards counted it.
std::string FormatMergedCampaign(const MergedCampaign& merged);

}  // namespace iovacheck

#endif  // IOVACHECK_CAMPAIGNS_MERGE_H_
