#include "campaigns/shard_spec.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace iovacheck {
namespace {

absl::Status Bad(const std::string& what) { return absl::InvalidArgumentError(what); }

// A set variable's decimal value; nullopt when unset.
absl::StatusOr<std::optional<uint64_t>> Number(const GetEnv& getenv, const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return std::optional<uint64_t>();
  uint64_t n = 0;
  if (!absl::SimpleAtoi(value, &n)) {
    return Bad(absl::StrFormat("%s=%s: not a decimal number", name, value));
  }
  return std::optional<uint64_t>(n);
}

absl::StatusOr<ShardSpec> Checked(uint64_t index, uint64_t count, std::string source,
                                  const std::string& shown) {
  if (count == 0) return Bad(absl::StrFormat("%s: zero shards", shown));
  if (index >= count) {
    return Bad(absl::StrFormat("%s: shard %u is not below the count %u", shown, index, count));
  }
  return ShardSpec{index, count, std::move(source)};
}

}  // namespace

absl::StatusOr<ShardSpec> ParseShard(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  uint64_t index = 0, count = 0;
  const std::string shown = absl::StrFormat("--shard=%s", text);
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &index) ||
      !absl::SimpleAtoi(parts[1], &count)) {
    return Bad(absl::StrFormat("%s: want I/N, e.g. 0/4 (I from 0)", shown));
  }
  return Checked(index, count, "--shard", shown);
}

absl::StatusOr<std::optional<ShardSpec>> ShardFromEnvironment(const GetEnv& getenv) {
  absl::StatusOr<std::optional<uint64_t>> total = Number(getenv, "TEST_TOTAL_SHARDS");
  if (!total.ok()) return total.status();
  if (total->has_value()) {
    absl::StatusOr<std::optional<uint64_t>> index = Number(getenv, "TEST_SHARD_INDEX");
    if (!index.ok()) return index.status();
    if (!index->has_value()) return Bad("TEST_TOTAL_SHARDS is set but TEST_SHARD_INDEX is not");
    absl::StatusOr<ShardSpec> s =
        Checked(**index, **total, "TEST_SHARD_INDEX",
                absl::StrFormat("TEST_SHARD_INDEX=%u TEST_TOTAL_SHARDS=%u", **index, **total));
    if (!s.ok()) return s.status();
    return std::optional<ShardSpec>(*s);
  }

  absl::StatusOr<std::optional<uint64_t>> count = Number(getenv, "SLURM_ARRAY_TASK_COUNT");
  if (!count.ok()) return count.status();
  if (!count->has_value()) return std::optional<ShardSpec>();
  absl::StatusOr<std::optional<uint64_t>> id = Number(getenv, "SLURM_ARRAY_TASK_ID");
  absl::StatusOr<std::optional<uint64_t>> min = Number(getenv, "SLURM_ARRAY_TASK_MIN");
  absl::StatusOr<std::optional<uint64_t>> max = Number(getenv, "SLURM_ARRAY_TASK_MAX");
  for (const auto* n : {&id, &min, &max}) {
    if (!n->ok()) return n->status();
  }
  if (!id->has_value()) return Bad("SLURM_ARRAY_TASK_COUNT is set but SLURM_ARRAY_TASK_ID is not");
  const uint64_t first = min->value_or(0);
  if (max->has_value() && **max - first + 1 != **count) {
    return Bad(absl::StrFormat(
        "SLURM_ARRAY_TASK_MIN=%u SLURM_ARRAY_TASK_MAX=%u SLURM_ARRAY_TASK_COUNT=%u: the array "
        "must be contiguous (--array=0-%u, no step)",
        first, **max, **count, **count - 1));
  }
  if (**id < first) {
    return Bad(absl::StrFormat("SLURM_ARRAY_TASK_ID=%u is below SLURM_ARRAY_TASK_MIN=%u", **id,
                               first));
  }
  absl::StatusOr<ShardSpec> s =
      Checked(**id - first, **count, "SLURM_ARRAY_TASK_ID",
              absl::StrFormat("SLURM_ARRAY_TASK_ID=%u SLURM_ARRAY_TASK_COUNT=%u", **id, **count));
  if (!s.ok()) return s.status();
  return std::optional<ShardSpec>(*s);
}

}  // namespace iovacheck
