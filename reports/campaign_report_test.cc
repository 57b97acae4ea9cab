// The report of a small campaign against legacy: well-formed (XHTML-style,
// checked with maps/xml_check.h), every relative link reaches a file, every
// in-page link an id, and what it must show is there.
#include "reports/campaign_report.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "maps/xml_check.h"

namespace iovacheck {
namespace {

namespace fs = std::filesystem;

std::string Scratch(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

// Every value of attribute `name` in the page.
std::vector<std::string> Attributes(const std::string& page, const std::string& name) {
  std::vector<std::string> out;
  const std::string key = " " + name + "=\"";
  for (size_t at = page.find(key); at != std::string::npos; at = page.find(key, at + 1)) {
    const size_t from = at + key.size();
    out.push_back(page.substr(from, page.find('"', from) - from));
  }
  return out;
}

ScenarioRun RunLegacy(const std::string& scenario, const std::string& out_dir) {
  ScenarioRun run;
  run.options.scenario = scenario;
  run.options.seeds = SeedRange{1, 3};
  run.options.translator = "legacy";
  run.options.coverage = true;
  run.summary = RunCampaign(run.options);
  run.shrunk = RecordAndShrinkAll(run.options, run.summary.failures, out_dir, absl::Seconds(20), 1);
  return run;
}

TEST(CampaignReport, IsWellFormedAndEveryLinkWorks) {
  const std::string out_dir = Scratch("campaign-out");
  const std::string report_dir = Scratch("report");
  std::vector<ScenarioRun> runs = {RunLegacy("q35", out_dir)};
  ScenarioRun clean;
  clean.options.scenario = "viommu";
  clean.options.seeds = SeedRange{1, 2};
  clean.options.coverage = true;
  clean.summary = RunCampaign(clean.options);
  runs.push_back(clean);
  ASSERT_GT(runs[0].summary.failing, 0u);
  ASSERT_EQ(runs[1].summary.failing, 0u);

  absl::StatusOr<std::string> path = WriteCampaignReport(runs, report_dir);
  ASSERT_TRUE(path.ok()) << path.status();
  std::ifstream in(*path);
  std::stringstream s;
  s << in.rdbuf();
  const std::string page = s.str();

  absl::Status xml = CheckWellFormedXml(page);
  ASSERT_TRUE(xml.ok()) << xml;
  const std::vector<std::string> ids = Attributes(page, "id");
  const std::set<std::string> id_set(ids.begin(), ids.end());
  int files = 0;
  for (const std::string& href : Attributes(page, "href")) {
    ASSERT_FALSE(absl::StartsWith(href, "http")) << "a network link: " << href;
    if (absl::StartsWith(href, "#")) {
      EXPECT_TRUE(id_set.count(href.substr(1))) << "no id for " << href;
      continue;
    }
    EXPECT_FALSE(fs::path(href).is_absolute()) << href;
    EXPECT_TRUE(fs::exists(fs::path(report_dir) / href)) << "a dead link: " << href;
    ++files;
  }
  EXPECT_GE(files, 3);  // the first failure's trace, minimal trace and map at least
  EXPECT_FALSE(absl::StrContains(page, "<script"));
  EXPECT_TRUE(absl::StrContains(page, "<h3>seed 1</h3>"));
  EXPECT_TRUE(absl::StrContains(page, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(absl::StrContains(page, "iovacheck replay "));
  EXPECT_TRUE(absl::StrContains(page, "never reached: "));
  EXPECT_TRUE(absl::StrContains(page, "<td>alias created</td>"));
  EXPECT_TRUE(absl::StrContains(page, "class=\"fail\">FAIL</span></h2>"));
  EXPECT_TRUE(absl::StrContains(page, "class=\"pass\">PASS</span></h2>"));
}

}  // namespace
}  // namespace iovacheck
