#include "sim/campaign.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace iovacheck {
namespace {

// Seeds s in [0, x] with s % m == r.
uint64_t CountUpTo(uint64_t x, uint64_t m, uint64_t r) { return x < r ? 0 : (x - r) / m + 1; }

uint64_t CountInShard(const CampaignOptions& o) {
  if (o.shard_count <= 1) return o.seeds.last - o.seeds.first + 1;
  const uint64_t below =
      o.seeds.first == 0 ? 0 : CountUpTo(o.seeds.first - 1, o.shard_count, o.shard_index);
  return CountUpTo(o.seeds.last, o.shard_count, o.shard_index) - below;
}

bool InShard(const CampaignOptions& o, uint64_t seed) {
  return o.shard_count <= 1 || seed % o.shard_count == o.shard_index;
}

}  // namespace

absl::StatusOr<SeedRange> ParseSeedRange(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, "..");
  SeedRange range;
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--seeds=%s: %s (want A..B, e.g. 1..1000, or one seed)", text, why));
  };
  if (parts.size() > 2) return bad("more than one '..'");
  if (!absl::SimpleAtoi(parts[0], &range.first) || parts[0].empty() ||
      parts[0].find_first_not_of("0123456789") != absl::string_view::npos) {
    return bad(absl::StrFormat("'%s' is not a seed", parts[0]));
  }
  range.last = range.first;
  if (parts.size() == 2 &&
      (!absl::SimpleAtoi(parts[1], &range.last) || parts[1].empty() ||
       parts[1].find_first_not_of("0123456789") != absl::string_view::npos)) {
    return bad(absl::StrFormat("'%s' is not a seed", parts[1]));
  }
  if (range.last < range.first) return bad("the range is empty (B < A)");
  // The count must fit in 64 bits.
  if (range.first == 0 && range.last == std::numeric_limits<uint64_t>::max()) {
    return bad("too many seeds");
  }
  return range;
}

double CampaignSummary::events_per_second() const {
  const double s = absl::ToDoubleSeconds(elapsed);
  return s > 0 ? static_cast<double>(events) / s : 0;
}

namespace {

// Keeps the `limit` lowest seeds in *kept, a max-heap by seed until the end.
void Keep(SeedFailure failure, uint64_t limit, std::vector<SeedFailure>* kept) {
  const auto by_seed = [](const SeedFailure& a, const SeedFailure& b) { return a.seed < b.seed; };
  if (limit == 0) return;
  if (kept->size() == limit) {
    if (failure.seed > kept->front().seed) return;
    std::pop_heap(kept->begin(), kept->end(), by_seed);
    kept->pop_back();
  }
  kept->push_back(std::move(failure));
  std::push_heap(kept->begin(), kept->end(), by_seed);
}

}  // namespace

CampaignSummary RunCampaign(const CampaignOptions& options) {
  const absl::Time start = absl::Now();
  const uint64_t count = options.seeds.last - options.seeds.first + 1;
  CampaignSummary summary;
  summary.seeds_total = CountInShard(options);

  // Seeds are claimed in increasing order, so when the first failure is
  // wanted every seed below a failing one has been claimed, and is finished
  // before the workers are joined: the lowest failing seed is found
  // whatever the timing.
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> first_bad{std::numeric_limits<uint64_t>::max()};
  std::mutex mu;  // guards summary and serialises progress
  const auto work = [&] {
    for (;;) {
      const uint64_t k = next.fetch_add(1);
      if (k >= count) return;
      if (options.stop_at_first_failure && k > first_bad.load()) return;
      const uint64_t seed = options.seeds.first + k;
      if (!InShard(options, seed)) continue;
      SimulationOptions run;
      run.scenario = options.scenario;
      run.seed = seed;
      run.steps = options.steps;
      run.translator = options.translator;
      run.device = options.device;
      run.faults = options.faults;
      run.full_oracle = options.full_oracle;
      run.coverage = options.coverage;
      SimulationResult result = RunSimulation(run);

      std::lock_guard<std::mutex> lock(mu);
      ++summary.seeds_run;
      summary.events += result.events;
      summary.coverage.Merge(result.coverage);
      if (result.verdict != SimulationVerdict::kPass) {
        ++summary.failing;
        if (result.verdict == SimulationVerdict::kError) ++summary.errored;
        Keep(SeedFailure{seed, std::move(result)}, options.max_failures_kept, &summary.failures);
        uint64_t bad = first_bad.load();
        while (k < bad && !first_bad.compare_exchange_weak(bad, k)) {
        }
      }
      if (options.progress) {
        options.progress(CampaignProgress{summary.seeds_run, summary.seeds_total,
                                          summary.failing, summary.events,
                                          absl::Now() - start});
      }
    }
  };
  const uint64_t jobs =
      std::clamp<uint64_t>(options.jobs < 1 ? 1 : options.jobs, 1, std::max<uint64_t>(count, 1));
  if (jobs == 1) {
    work();
  } else {
    std::vector<std::thread> workers;
    for (uint64_t j = 0; j < jobs; ++j) workers.emplace_back(work);
    for (std::thread& t : workers) t.join();
  }

  std::sort(summary.failures.begin(), summary.failures.end(),
            [](const SeedFailure& a, const SeedFailure& b) { return a.seed < b.seed; });
  if (options.stop_at_first_failure && !summary.failures.empty()) {
    // Seeds in flight above the first failure may have failed too: only
    // the first is deterministic.
    summary.failures.resize(1);
    summary.failing = 1;
    summary.errored = summary.failures[0].result.verdict == SimulationVerdict::kError ? 1 : 0;
    summary.stopped_early = true;
  }
  summary.elapsed = absl::Now() - start;
  return summary;
}

std::string FormatCampaignSummary(const CampaignOptions& options,
                                  const CampaignSummary& summary) {
  std::string shard;
  if (options.shard_count > 1) {
    shard = absl::StrFormat(" (shard %u of %u)", options.shard_index, options.shard_count);
  }
  return absl::StrFormat(
      "scenario %s, translator %s%s, seeds %u..%u%s: %u seeds run, %u failed (%u errors), "
      "%u events, %.1fs, %.0f events/s",
      options.scenario, options.translator,
      options.device == "emulated" ? "" : ", device " + options.device, options.seeds.first, options.seeds.last, shard,
      summary.seeds_run, summary.failing - summary.errors(), summary.errors(),
      summary.events, absl::ToDoubleSeconds(summary.elapsed), summary.events_per_second());
}

}  // namespace iovacheck
