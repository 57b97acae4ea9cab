// Which slice of a campaign's seeds this process runs: `--shard=I/N`, or the
// variables a job engine sets for each of its tasks (Bazel's test sharding,
// a Slurm job array), so that one command line serves every task.
#ifndef IOVACHECK_CAMPAIGNS_SHARD_SPEC_H_
#define IOVACHECK_CAMPAIGNS_SHARD_SPEC_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace iovacheck {

struct ShardSpec {
  uint64_t index = 0;  // 0 <= index < count
  uint64_t count = 1;
  std::string source;  // what set it: "--shard", "TEST_SHARD_INDEX", "SLURM_ARRAY_TASK_ID"
};

// "I/N" with 0 <= I < N, decimal. InvalidArgument naming the text otherwise.
absl::StatusOr<ShardSpec> ParseShard(absl::string_view text);

// Reads the environment through `getenv` (std::getenv in the tool):
//  - Bazel: TEST_SHARD_INDEX and TEST_TOTAL_SHARDS;
//  - Slurm: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN (default 0) and
//    SLURM_ARRAY_TASK_COUNT; the array must be contiguous
//    (SLURM_ARRAY_TASK_MAX - MIN + 1 == COUNT, when MAX is set).
// Bazel's wins when both are set (a test run inside a Slurm job). nullopt
// when neither is; InvalidArgument naming the variable when one is garbled.
using GetEnv = std::function<const char*(const char*)>;
absl::StatusOr<std::optional<ShardSpec>> ShardFromEnvironment(const GetEnv& getenv);

}  // namespace iovacheck

#endif  // IOVACHECK_CAMPAIGNS_SHARD_SPEC_H_
