// Replays a trace file: re-drives a translator (or, with `recorded`, the
// trace's own recorded outputs through a PlaybackTranslator) with the trace's
// inputs, checks the oracle at every step, and on the first divergence
// reports the event index, the event, what the model expected, what the
// translator/device did, and the live mappings around the addresses involved
// in all three address spaces. Streams the trace: memory stays proportional
// to the live mappings.
#ifndef IOVACHECK_TRACES_REPLAY_H_
#define IOVACHECK_TRACES_REPLAY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "model/divergence.h"

namespace iovacheck {

class Harness;

struct ReplayOptions {
  std::string translator = "decoupled";  // a registry name; ignored with recorded
  bool recorded = false;                 // judge the trace's recorded outputs
  std::optional<bool> strict;            // default: the trace header's `strict`
  std::string device;                    // DeviceNames(); empty: the trace header's
  // Stop after this event (counted from 0), passing, even if more follow.
  std::optional<uint64_t> stop_after;
  // Called once where the replay stops (at a divergence, after stop_after,
  // or at the end; not on bad input) with the harness as it stands then, the
  // divergence if any and the events replayed: what `iovacheck map` draws.
  std::function<void(const Harness& harness, const std::optional<Divergence>& divergence,
                     uint64_t events)>
      at_stop;
};

enum class ReplayVerdict {
  kPass,      // every step agreed with the model
  kFail,      // a divergence: a bug in the translator (or the recording)
  kBadInput,  // the file or an event in it is malformed or contradicts the model
};

struct ReplayResult {
  ReplayVerdict verdict = ReplayVerdict::kPass;
  // Human-readable: on kFail the divergence report, on kBadInput a one-line
  // error naming the file and the byte offset, line or event index.
  std::string report;
  std::optional<Divergence> divergence;
  uint64_t event_index = 0;  // kFail / kBadInput: the event at fault
  uint64_t events = 0;       // events replayed
};

ReplayResult ReplayTrace(const std::string& path, const ReplayOptions& options);

// 0 pass, 1 a found bug, 2 bad input.
int ReplayExitCode(ReplayVerdict verdict);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_REPLAY_H_
