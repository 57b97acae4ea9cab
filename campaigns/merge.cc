#include "campaigns/merge.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "campaigns/shard_result_io.h"
#include "coverage/coverage.h"

namespace iovacheck {
namespace {

absl::Status Bad(const std::string& what) { return absl::InvalidArgumentError(what); }

// The settings every shard of a scenario must share.
std::string Settings(const campaigns::ScenarioShard& s) {
  return absl::StrFormat("translator %s, device %s, seeds %u..%u, %u steps, faults %s%s",
                         s.translator(), s.device(), s.seed_first(), s.seed_last(), s.steps(),
                         s.faults() ? "on" : "off", s.full_oracle() ? ", full oracle" : "");
}

// A stored trace path as seen from here: relative ones are relative to the
// shard file's directory.
std::string Resolve(const std::string& stored, const std::string& shard_path) {
  if (stored.empty() || std::filesystem::path(stored).is_absolute()) return stored;
  const std::filesystem::path dir = std::filesystem::path(shard_path).parent_path();
  return (dir / stored).lexically_normal().string();
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

absl::StatusOr<MergedCampaign> MergeShards(const std::vector<ShardFile>& shards) {
  if (shards.empty()) return Bad("no shard results");
  MergedCampaign merged;
  merged.shard_count = shards.front().result.shard_count();
  std::map<uint64_t, std::string> seen;  // shard index -> file
  for (const ShardFile& f : shards) {
    const campaigns::ShardResult& r = f.result;
    if (r.shard_count() != merged.shard_count) {
      return Bad(absl::StrFormat("%s is shard %u of %u, but %s is of %u", f.path, r.shard_index(),
                                 r.shard_count(), shards.front().path, merged.shard_count));
    }
    auto [it, fresh] = seen.emplace(r.shard_index(), f.path);
    if (!fresh) {
      return Bad(absl::StrFormat("shard %u of %u twice: %s and %s", r.shard_index(),
                                 merged.shard_count, it->second, f.path));
    }
  }
  std::vector<std::string> missing;
  for (uint64_t i = 0; i < merged.shard_count && missing.size() < 20; ++i) {
    if (seen.count(i) == 0) missing.push_back(absl::StrCat(i));
  }
  if (!missing.empty()) {
    return Bad(absl::StrFormat("%u of %u shard results given; missing shard%s %s%s",
                               seen.size(), merged.shard_count, missing.size() == 1 ? "" : "s",
                               absl::StrJoin(missing, ", "),
                               seen.size() + missing.size() < merged.shard_count ? ", ..." : ""));
  }

  // Scenarios in the first shard's order; each must be in every shard.
  const ShardFile& first = shards.front();
  for (const campaigns::ScenarioShard& want : first.result.scenarios()) {
    campaigns::ScenarioShard total = want;
    total.clear_seeds_run();
    total.clear_events();
    total.clear_failing();
    total.clear_errored();
    total.clear_failures();
    total.clear_coverage();
    Coverage coverage;
    bool counted = false;
    for (const ShardFile& f : shards) {
      const campaigns::ScenarioShard* s = nullptr;
      for (const campaigns::ScenarioShard& c : f.result.scenarios()) {
        if (c.scenario() == want.scenario()) s = &c;
      }
      if (s == nullptr) {
        return Bad(absl::StrFormat("%s has no scenario %s, which %s has", f.path, want.scenario(),
                                   first.path));
      }
      if (Settings(*s) != Settings(want)) {
        return Bad(absl::StrFormat("scenario %s: %s ran %s, but %s ran %s", want.scenario(),
                                   f.path, Settings(*s), first.path, Settings(want)));
      }
      total.set_seeds_run(total.seeds_run() + s->seeds_run());
      total.set_events(total.events() + s->events());
      total.set_failing(total.failing() + s->failing());
      total.set_errored(total.errored() + s->errored());
      for (const campaigns::SeedFailure& failure : s->failures()) {
        campaigns::SeedFailure* out = total.add_failures();
        *out = failure;
        out->set_trace(Resolve(failure.trace(), f.path));
        out->set_minimal(Resolve(failure.minimal(), f.path));
      }
      if (s->has_coverage()) {
        counted = true;
        coverage.Merge(FromCoverageCounts(s->coverage()));
      }
    }
    const uint64_t range = want.seed_last() - want.seed_first() + 1;
    if (total.seeds_run() != range) {
      return Bad(absl::StrFormat(
          "scenario %s: the shards ran %u of the %u seeds %u..%u (a shard stopped early?)",
          want.scenario(), total.seeds_run(), range, want.seed_first(), want.seed_last()));
    }
    std::sort(total.mutable_failures()->begin(), total.mutable_failures()->end(),
              [](const campaigns::SeedFailure& a, const campaigns::SeedFailure& b) {
                return a.seed() < b.seed();
              });
    if (counted) *total.mutable_coverage() = ToCoverageCounts(coverage);
    merged.scenarios.push_back(std::move(total));
  }
  for (const ShardFile& f : shards) {
    for (const campaigns::ScenarioShard& c : f.result.scenarios()) {
      bool known = false;
      for (const campaigns::ScenarioShard& m : merged.scenarios) known |= m.scenario() == c.scenario();
      if (!known) {
        return Bad(absl::StrFormat("%s has scenario %s, which %s has not", f.path, c.scenario(),
                                   first.path));
      }
    }
  }
  return merged;
}

std::string FormatMergedCampaign(const MergedCampaign& merged) {
  std::string out;
  for (const campaigns::ScenarioShard& s : merged.scenarios) {
    for (const campaigns::SeedFailure& f : s.failures()) {
      absl::StrAppend(&out, FirstLine(f.report()), "\n");
      if (!f.trace().empty()) absl::StrAppend(&out, "  trace: ", f.trace(), "\n");
      if (!f.minimal().empty()) absl::StrAppend(&out, "  minimal: ", f.minimal(), "\n");
    }
    if (s.failing() > static_cast<uint64_t>(s.failures_size())) {
      absl::StrAppendFormat(&out, "... and %u more failing seeds, counted but not kept\n",
                            s.failing() - s.failures_size());
    }
    absl::StrAppendFormat(&out,
                          "%s scenario %s, translator %s, seeds %u..%u over %u shards: %u seeds "
                          "run, %u failed (%u errors), %u events\n",
                          s.failing() == 0 ? "PASS" : "FAIL", s.scenario(), s.translator(),
                          s.seed_first(), s.seed_last(), merged.shard_count, s.seeds_run(),
                          s.failing(), s.errored(), s.events());
    if (s.has_coverage()) absl::StrAppend(&out, FormatCoverage(FromCoverageCounts(s.coverage())));
  }
  return out;
}

}  // namespace iovacheck
