// Replays a candidate trace in memory, as `iovacheck replay` would replay it
// from a file: a fresh Harness per candidate, driving a registered
// translator, or (recorded mode) a PlaybackTranslator loaded with each
// event's recorded outputs. Counts replays and events stepped, the currency
// the shrinker and its benchmark are measured in.
#ifndef IOVACHECK_SHRINK_CANDIDATE_REPLAYER_H_
#define IOVACHECK_SHRINK_CANDIDATE_REPLAYER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/device_config.h"
#include "shrink/failure_identity.h"
#include "shrink/trace_step.h"
#include "translator/translator.h"

namespace iovacheck {

// Whose behaviour a replay judges: a translator, or the trace's recording.
struct ReplayTarget {
  std::string name;  // a registry name, or "recorded"
  TranslatorFactory factory;  // unset in recorded mode
  bool recorded() const { return !factory; }
};

// "recorded", or the translator registered under `name`.
absl::StatusOr<ReplayTarget> FindReplayTarget(const std::string& name);

struct CandidateOutcome {
  enum class Verdict { kPass, kFail, kRefused };
  Verdict verdict = Verdict::kPass;
  FailureIdentity identity;  // kFail
  size_t position = 0;       // kFail / kRefused: the event's place in the candidate
  std::string refusal;       // kRefused: why the model refused the event
  std::optional<Divergence> divergence;  // kFail
};

class CandidateReplayer {
 public:
  CandidateReplayer(const DeviceConfig& config, bool strict, ReplayTarget target);

  // Replays `order` (indices into `pool`). With `log`, also returns every
  // applied step's record (the translator's outputs), up to the failure.
  CandidateOutcome Replay(const StepPool& pool, const StepOrder& order,
                          std::vector<StepRecord>* log = nullptr);
  // Replays the steps `next` hands out until it hands out nullptr (the
  // end), as Replay does; a trace read from a file this way is never held
  // whole. An error from `next` (a damaged file) ends it with that error.
  using NextStep = std::function<absl::StatusOr<const TraceStep*>()>;
  absl::StatusOr<CandidateOutcome> ReplayStream(const NextStep& next);

  uint64_t replays() const { return replays_; }
  uint64_t events_stepped() const { return events_stepped_; }
  const ReplayTarget& target() const { return target_; }
  const DeviceConfig& config() const { return config_; }
  bool strict() const { return strict_; }

 private:
  absl::StatusOr<CandidateOutcome> Run(const NextStep& next, std::vector<StepRecord>* log);

  DeviceConfig config_;
  bool strict_;
  ReplayTarget target_;
  uint64_t replays_ = 0;
  uint64_t events_stepped_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_CANDIDATE_REPLAYER_H_
