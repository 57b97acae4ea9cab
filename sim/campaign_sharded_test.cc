// The campaign as a test: every scenario against `decoupled`, faults on, for
// a fixed seed range (--seeds=A..B, from sim/campaign_test.bzl), split over
// Bazel's test shards (seed s runs in shard s % TEST_TOTAL_SHARDS). A plain
// main rather than gtest: gtest would shard its test cases itself, and the
// unit of work here is a seed, so that the same target spreads evenly over
// local cores or a remote-execution cluster. IOVACHECK_CAMPAIGN_SEEDS=A..B
// (--test_env) runs another range, e.g. the 10,000-seed acceptance run.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "campaigns/shard_spec.h"
#include "sim/campaign.h"
#include "sim/scenario.h"

namespace iovacheck {
namespace {

int Main(int argc, char** argv) {
  // The simulator writes a failing seed's trace into the working
  // directory: make that the test's undeclared outputs, which Bazel keeps
  // (bazel-testlogs/sim/campaign_sharded_test/shard_*/test.outputs/).
  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (outputs != nullptr && chdir(outputs) != 0) {
    std::cerr << "cannot enter " << outputs << "\n";
    return 2;
  }
  std::string seeds_text;
  for (int i = 1; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--seeds=")) seeds_text = argv[i] + 8;
  }
  if (const char* env_seeds = std::getenv("IOVACHECK_CAMPAIGN_SEEDS")) seeds_text = env_seeds;
  absl::StatusOr<SeedRange> seeds = ParseSeedRange(seeds_text);
  if (!seeds.ok()) {
    std::cerr << "bad configuration: --seeds or IOVACHECK_CAMPAIGN_SEEDS: " << seeds.status()
              << "\n";
    return 2;
  }
  // Bazel's sharding variables, read as `iovacheck campaign` reads them;
  // only Bazel's: a test run inside a Slurm task is not that task's shard.
  absl::StatusOr<std::optional<ShardSpec>> shard =
      ShardFromEnvironment([](const char* name) -> const char* {
        return absl::StartsWith(name, "TEST_") ? std::getenv(name) : nullptr;
      });
  if (!shard.ok()) {
    std::cerr << "bad configuration: " << shard.status() << "\n";
    return 2;
  }
  const uint64_t total = *shard ? (*shard)->count : 1;
  const uint64_t index = *shard ? (*shard)->index : 0;
  // Bazel checks that a sharded test knows it is sharded.
  if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream touch(status);
  std::cout << absl::StrFormat("seeds %u..%u, shard %u of %u (seeds s with s %% %u == %u), "
                               "against decoupled, faults on\n",
                               seeds->first, seeds->last, index, total, total, index)
            << std::flush;

  std::vector<std::string> failed;
  for (const std::string& scenario : ScenarioNames()) {
    CampaignOptions options;
    options.scenario = scenario;
    options.seeds = *seeds;
    options.translator = "decoupled";
    options.shard_count = total;
    options.shard_index = index;
    const CampaignSummary summary = RunCampaign(options);
    std::cout << (summary.failures.empty() ? "PASS " : "FAIL ")
              << FormatCampaignSummary(options, summary) << "\n";
    for (const SeedFailure& f : summary.failures) {
      std::cout << absl::StrFormat(
          "  %s\n  reproduce: bazel run //tools:iovacheck -- campaign "
          "--scenario=%s --seeds=%u..%u\n",
          f.result.report, scenario, f.seed, f.seed);
      failed.push_back(absl::StrFormat("%s seed %u", scenario, f.seed));
    }
    std::cout << std::flush;
  }
  if (failed.empty()) return 0;
  std::cout << absl::StrFormat("%u failing seeds in this shard\n", failed.size());
  return 1;
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) { return iovacheck::Main(argc, argv); }
