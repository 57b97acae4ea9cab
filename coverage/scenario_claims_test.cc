// Every scenario reaches the situations it claims, and the README's table
// says exactly what the claims say.
#include "coverage/scenario_claims.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "coverage/coverage.h"
#include "gtest/gtest.h"
#include "sim/campaign.h"
#include "sim/scenario.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

TEST(ScenarioClaims, EveryScenarioHasClaimsAndEveryClaimIsKnown) {
  for (const std::string& scenario : ScenarioNames()) {
    EXPECT_TRUE(ScenarioClaims().count(scenario)) << scenario << " claims nothing";
  }
  for (const auto& [scenario, claims] : ScenarioClaims()) {
    for (const std::string& c : claims) {
      EXPECT_NE(std::find(KnownSituations().begin(), KnownSituations().end(), c),
                KnownSituations().end())
          << scenario << ": " << c;
    }
  }
}

TEST(ScenarioClaims, EachScenarioReachesWhatItClaims) {
  for (const auto& [scenario, claims] : ScenarioClaims()) {
    SCOPED_TRACE(scenario);
    CampaignOptions options;
    options.scenario = scenario;
    options.seeds = SeedRange{1, kClaimSeeds};
    options.jobs = 2;
    options.coverage = true;
    const CampaignSummary summary = RunCampaign(options);
    EXPECT_EQ(summary.failing, 0u);
    EXPECT_EQ(summary.coverage.runs, static_cast<uint64_t>(kClaimSeeds));
    for (const std::string& claim : claims) {
      auto it = summary.coverage.situations.find(claim);
      EXPECT_TRUE(it != summary.coverage.situations.end() && it->second > 0)
          << "never reached: " << claim << "\n"
          << FormatCoverage(summary.coverage);
    }
  }
}

// The README's rows: "| `q35` | alias created, ... |" under the heading.
TEST(ScenarioClaims, TheReadmeTableSaysTheSame) {
  absl::StatusOr<std::string> path = FindRunfile("README.md");
  ASSERT_TRUE(path.ok()) << path.status();
  std::ifstream in(*path);
  std::string line;
  bool in_section = false;
  std::map<std::string, std::vector<std::string>> table;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "### ")) in_section = line == "### What each scenario reaches";
    if (!in_section || !absl::StartsWith(line, "| `")) continue;
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    ASSERT_GE(cells.size(), 4u) << line;
    std::string name(absl::StripAsciiWhitespace(cells[1]));
    name = std::string(absl::StripSuffix(absl::StripPrefix(name, "`"), "`"));
    for (absl::string_view s : absl::StrSplit(cells[2], ',')) {
      table[name].push_back(std::string(absl::StripAsciiWhitespace(s)));
    }
  }
  EXPECT_EQ(table, ScenarioClaims())
      << "README's table, then the claims:\n"
      << [&] {
           std::string out;
           for (const auto& [s, c] : ScenarioClaims()) {
             out += "| `" + s + "` | " + absl::StrJoin(c, ", ") + " |\n";
           }
           return out;
         }();
}

}  // namespace
}  // namespace iovacheck
