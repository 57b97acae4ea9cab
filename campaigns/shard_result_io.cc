#include "campaigns/shard_result_io.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "traces/output_file.h"

namespace iovacheck {
namespace {

template <typename From, typename To>
void CopyCounts(const From& from, To* to) {
  for (const auto& [name, n] : from) (*to)[name] = n;
}

// `path` relative to `dir` when it lies inside it, else absolute: a result
// directory moved whole (or shared by a cluster's nodes) keeps its links.
std::string RelativeTo(const std::string& path, const std::string& dir) {
  if (path.empty()) return path;
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec).lexically_normal();
  if (ec) return path;
  const std::filesystem::path base = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) return abs.string();
  const std::filesystem::path rel = abs.lexically_relative(base);
  if (rel.empty() || absl::StartsWith(rel.string(), "..")) return abs.string();
  return rel.string();
}

}  // namespace

campaigns::CoverageCounts ToCoverageCounts(const Coverage& coverage) {
  campaigns::CoverageCounts c;
  c.set_runs(coverage.runs);
  c.set_events(coverage.events);
  CopyCounts(coverage.event_kinds, c.mutable_event_kinds());
  CopyCounts(coverage.rules, c.mutable_rules());
  CopyCounts(coverage.fault_sites, c.mutable_fault_sites());
  CopyCounts(coverage.situations, c.mutable_situations());
  CopyCounts(coverage.boundaries, c.mutable_boundaries());
  return c;
}

Coverage FromCoverageCounts(const campaigns::CoverageCounts& counts) {
  Coverage c;
  c.runs = counts.runs();
  c.events = counts.events();
  CopyCounts(counts.event_kinds(), &c.event_kinds);
  CopyCounts(counts.rules(), &c.rules);
  CopyCounts(counts.fault_sites(), &c.fault_sites);
  CopyCounts(counts.situations(), &c.situations);
  CopyCounts(counts.boundaries(), &c.boundaries);
  return c;
}

campaigns::ScenarioShard ToScenarioShard(const CampaignOptions& options,
                                         const CampaignSummary& summary,
                                         const std::vector<absl::StatusOr<FailureArtifacts>>& shrunk,
                                         const std::string& result_dir) {
  campaigns::ScenarioShard s;
  s.set_scenario(options.scenario);
  s.set_translator(options.translator);
  s.set_device(options.device);
  s.set_steps(options.steps);
  s.set_faults(options.faults);
  s.set_full_oracle(options.full_oracle);
  s.set_seed_first(options.seeds.first);
  s.set_seed_last(options.seeds.last);
  s.set_seeds_run(summary.seeds_run);
  s.set_events(summary.events);
  s.set_failing(summary.failing);
  s.set_errored(summary.errored);
  for (size_t i = 0; i < summary.failures.size(); ++i) {
    const SeedFailure& f = summary.failures[i];
    campaigns::SeedFailure* out = s.add_failures();
    out->set_seed(f.seed);
    out->set_error(f.result.verdict == SimulationVerdict::kError);
    out->set_report(f.result.report);
    if (i < shrunk.size() && shrunk[i].ok()) {
      out->set_trace(RelativeTo(shrunk[i]->trace_path, result_dir));
      out->set_minimal(RelativeTo(shrunk[i]->minimal_path, result_dir));
    }
  }
  if (options.coverage) *s.mutable_coverage() = ToCoverageCounts(summary.coverage);
  return s;
}

std::string ShardResultPath(const std::string& dir, uint64_t index, uint64_t count) {
  return absl::StrFormat("%s/shard-%u-of-%u.json", dir.empty() ? "." : dir, index, count);
}

absl::Status WriteShardResult(const std::string& path, const campaigns::ShardResult& result) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (auto s = google::protobuf::util::MessageToJsonString(result, &json, options); !s.ok()) {
    return absl::InternalError(absl::StrFormat("%s: %s", path, s.ToString()));
  }
  return WriteOutputFile(path, json);
}

absl::StatusOr<campaigns::ShardResult> ReadShardResult(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("%s: cannot be read", path));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrFormat("%s: read error", path));
  campaigns::ShardResult result;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto s = google::protobuf::util::JsonStringToMessage(text.str(), &result, options);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a shard result: %s", path, s.ToString()));
  }
  if (result.format() != kShardResultFormat) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: format \"%s\", want \"%s\"", path, result.format(), kShardResultFormat));
  }
  return result;
}

}  // namespace iovacheck
