// A campaign shard's result as the JSON file `iovacheck merge` reads: built
// from what the campaign found, written atomically, read back with errors
// that name the file.
#ifndef IOVACHECK_CAMPAIGNS_SHARD_RESULT_IO_H_
#define IOVACHECK_CAMPAIGNS_SHARD_RESULT_IO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "campaigns/shard_result.pb.h"
#include "coverage/coverage.h"
#include "sim/campaign.h"
#include "sim/campaign_shrink.h"

namespace iovacheck {

inline constexpr char kShardResultFormat[] = "iovacheck-shard-result/1";

campaigns::CoverageCounts ToCoverageCounts(const Coverage& coverage);
Coverage FromCoverageCounts(const campaigns::CoverageCounts& counts);

// One scenario's slice: the options it ran with, what it found, and the
// traces written for its first failures (shrunk[i] for failures[i]), their
// paths made relative to `result_dir` when inside it.
campaigns::ScenarioShard ToScenarioShard(const CampaignOptions& options,
                                         const CampaignSummary& summary,
                                         const std::vector<absl::StatusOr<FailureArtifacts>>& shrunk,
                                         const std::string& result_dir);

// "DIR/shard-I-of-N.json".
std::string ShardResultPath(const std::string& dir, uint64_t index, uint64_t count);

absl::Status WriteShardResult(const std::string& path, const campaigns::ShardResult& result);
absl::StatusOr<campaigns::ShardResult> ReadShardResult(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_CAMPAIGNS_SHARD_RESULT_IO_H_
