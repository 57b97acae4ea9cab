// `iovacheck campaign --scenario=NAME --seeds=A..B [--translator=T]
// [--jobs=J] [--steps=N] [--out_dir=DIR] [--budget=SECONDS]`: one scenario
// for many seeds (sim/campaign.h), a live progress line on a terminal, a
// report per failing seed in seed order, each with its trace and the shrunk,
// minimal trace written under DIR, and a summary.
#ifndef IOVACHECK_TOOLS_CAMPAIGN_COMMAND_H_
#define IOVACHECK_TOOLS_CAMPAIGN_COMMAND_H_

#include <cstdint>
#include <string>

#include "tools/coverage_output.h"
#include <utility>

#include "absl/time/time.h"
#include "sim/campaign.h"

namespace iovacheck {

struct CampaignCommand {
  // Empty: the default (first) scenario; "a,b": each in turn; "all": every one.
  std::string scenario;
  std::string seeds;     // "A..B", inclusive
  std::string translator = "decoupled";
  std::string device = "emulated";  // DeviceNames()
  int jobs = 2;
  uint64_t steps = 0;   // 0: the simulator's default
  bool faults = true;   // let each seed enable fault sites
  bool full_oracle = false;  // SimulationOptions::full_oracle
  CoverageOutput coverage;     // what the seeds exercised (JSON: every scenario's, summed)
  std::string report_dir;      // --report: an HTML page of it all (reports/)
  std::string out_dir;  // empty: campaign-SCENARIO
  double budget_seconds = 20;  // per failing seed's shrink
  // Failing seeds whose traces are written and shrunk (the first ones, in
  // seed order); the others are listed with their one-line report. A
  // campaign over a buggy translator can fail thousands of seeds.
  uint64_t max_shrinks = UINT64_MAX;
  // Failing seeds whose reports are kept and printed (the lowest); the
  // rest are counted. Bounds memory over millions of seeds.
  uint64_t max_failures_kept = 10000;
  bool progress = false;       // rewrite a progress line on stderr
  // "I/N": run one shard and write its result (campaigns/); empty: the job
  // engine's variables decide (campaigns/shard_spec.h), else every seed.
  std::string shard;
  std::string shard_result;  // empty: OUT_DIR/shard-I-of-N.json
};

// "\rLABEL: 1234/10000 seeds, 1 failed, 456789 events/s" on stderr, at most
// ten times a second; Clear() before anything else is printed. Used from
// CampaignOptions::progress, which the campaign serialises.
class CampaignProgressLine {
 public:
  explicit CampaignProgressLine(std::string label) : label_(std::move(label)) {}
  void Update(const CampaignProgress& p);
  void Clear();

 private:
  std::string label_;
  absl::Duration last_;
  bool shown_ = false;
};

// Exit status: 0 every seed passed, 1 some seed failed (a bug found, or a
// scenario error), 2 bad arguments (one line on stderr).
int RunCampaignCommand(const CampaignCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_CAMPAIGN_COMMAND_H_
