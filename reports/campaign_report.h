// `iovacheck campaign --report=DIR`: one self-contained HTML page (no
// network, no script) of what a campaign found: the summary, per scenario
// its verdict and coverage (coverage/coverage.h), and each shrunk failure
// with its minimal event list, its map (inline SVG, maps/) and the commands
// that reproduce it. Traces are linked by paths relative to DIR.
#ifndef IOVACHECK_REPORTS_CAMPAIGN_REPORT_H_
#define IOVACHECK_REPORTS_CAMPAIGN_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/campaign.h"
#include "sim/campaign_shrink.h"

namespace iovacheck {

// One scenario's campaign: what ran, what it found, what was shrunk (the
// first failures, in seed order; the rest are only counted).
struct ScenarioRun {
  CampaignOptions options;
  CampaignSummary summary;
  std::vector<absl::StatusOr<FailureArtifacts>> shrunk;
};

// The page, links relative to `dir` (where it will be written).
std::string RenderCampaignReport(const std::vector<ScenarioRun>& runs, const std::string& dir);

// Makes `dir` and writes dir/index.html; returns its path.
absl::StatusOr<std::string> WriteCampaignReport(const std::vector<ScenarioRun>& runs,
                                                const std::string& dir);

}  // namespace iovacheck

#endif  // IOVACHECK_REPORTS_CAMPAIGN_REPORT_H_
