#include "tools/merge_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "campaigns/merge.h"
#include "campaigns/shard_result_io.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck merge";

int Fail(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

// The shard result files `path` names: itself, or the shard-*.json files of
// a directory in name order.
absl::StatusOr<std::vector<std::string>> ResultFiles(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "shard-") && absl::EndsWith(name, ".json")) {
      files.push_back(entry.path().string());
    }
  }
  if (ec) return absl::NotFoundError(absl::StrFormat("%s: %s", path, ec.message()));
  if (files.empty()) {
    return absl::NotFoundError(absl::StrFormat("%s: no shard-*.json in this directory", path));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int RunMergeCommand(const std::vector<std::string>& paths) {
  if (paths.empty()) return Fail("give the shard results: files, or directories of them");
  std::vector<ShardFile> shards;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> files = ResultFiles(path);
    if (!files.ok()) return Fail(std::string(files.status().message()));
    for (const std::string& file : *files) {
      absl::StatusOr<campaigns::ShardResult> result = ReadShardResult(file);
      if (!result.ok()) return Fail(std::string(result.status().message()));
      shards.push_back(ShardFile{file, *std::move(result)});
    }
  }
  absl::StatusOr<MergedCampaign> merged = MergeShards(shards);
  if (!merged.ok()) return Fail(std::string(merged.status().message()));
  std::cout << absl::StrFormat("%s: %u shard results, shards 0..%u of %u\n", kCommand,
                               shards.size(), merged->shard_count - 1, merged->shard_count);
  std::cout << FormatMergedCampaign(*merged);
  for (const campaigns::ScenarioShard& s : merged->scenarios) {
    if (s.failing() != 0) return 1;
  }
  return 0;
}

}  // namespace iovacheck
