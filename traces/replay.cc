#include "traces/replay.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "sim/playback_translator.h"
#include "traces/neighbourhood.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {


ReplayResult BadInput(std::string report, uint64_t event_index, uint64_t events) {
  ReplayResult r;
  r.verdict = ReplayVerdict::kBadInput;
  r.report = std::move(report);
  r.event_index = event_index;
  r.events = events;
  return r;
}

// The recording holds write()'s answers only when its producer saw them (our
// own runs do; a QEMU trace log does not).
bool AnswersRecorded(const trace::Event& proto) {
  for (const trace::IotlbMessage& m : proto.sent()) {
    if (m.answered()) return true;
  }
  return false;
}

// The emulated device answered a recorded message differently. The harness
// wrote the loaded messages in order, so the last record's i-th message is
// the recording's i-th: the first disagreement names the addresses.
Divergence AnswerMismatch(const std::string& mismatch, const StepRecord& recorded,
                          const StepRecord& replayed) {
  Divergence d;
  d.rule = OracleRule::kRecordedAnswer;
  d.expected = "the emulated device answers every message as the recorded write() did";
  d.actual = mismatch;
  for (size_t i = 0; i < recorded.sent.size() && i < replayed.sent.size(); ++i) {
    if (recorded.sent[i].result.err == replayed.sent[i].result.err) continue;
    const IotlbMsg& msg = replayed.sent[i].msg;
    if (msg.type == kIotlbUpdate || msg.type == kIotlbInvalidate) d.iovas.push_back(msg.iova);
    if (msg.type == kIotlbUpdate) d.hvas.push_back(msg.uaddr);
    break;
  }
  return d;
}

// The messages FormatLog prints beneath the event, without its first line:
// the report shows the event itself (with its index in the trace) above.
std::string MessagesOf(const StepRecord& record) {
  const std::string formatted = FormatLog({record});
  const size_t newline = formatted.find('\n');
  std::string messages =
      newline == std::string::npos ? "" : formatted.substr(newline + 1);
  return messages.empty() ? "         (none)\n" : messages;
}

std::string FailureReport(const std::string& path, uint64_t index, const Event& event,
                          const Divergence& d, const StepRecord& last,
                          const Harness& harness) {
  std::string out = absl::StrFormat("%s: divergence at event %u (%s)\n", path, index,
                                    EventKind(event));
  absl::StrAppendFormat(&out, "  event: %s\n", EventToString(event));
  absl::StrAppendFormat(&out, "  rule: %s\n", OracleRuleName(d.rule));
  absl::StrAppendFormat(&out, "  expected: %s\n", d.expected);
  absl::StrAppendFormat(&out, "  actual: %s\n", d.actual);
  out += "  messages sent for this event:\n";
  out += MessagesOf(last);
  out += "  live mappings around the addresses involved:\n";
  out += DescribeNeighbourhood(harness.model(), harness.device(), d);
  return out;
}

}  // namespace

int ReplayExitCode(ReplayVerdict verdict) {
  switch (verdict) {
    case ReplayVerdict::kPass: return 0;
    case ReplayVerdict::kFail: return 1;
    case ReplayVerdict::kBadInput: return 2;
  }
  return 2;
}

ReplayResult ReplayTrace(const std::string& path, const ReplayOptions& options) {
  absl::StatusOr<std::unique_ptr<TraceReader>> opened = TraceReader::Open(path);
  // The reader's errors already name the file and the byte offset or line.
  if (!opened.ok()) return BadInput(std::string(opened.status().message()), 0, 0);
  TraceReader& reader = **opened;
  absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(reader.header().device());
  if (!config.ok()) {
    return BadInput(absl::StrFormat("%s: header: %s", path, config.status().message()), 0, 0);
  }
  if (!options.device.empty()) {
    if (absl::Status s = CheckDeviceName(options.device); !s.ok()) {
      return BadInput(std::string(s.message()), 0, 0);
    }
    config->device = options.device;
  }

  // Recorded mode: the harness owns the PlaybackTranslator; keep a pointer to
  // load each event's outputs before the harness hands it the event.
  PlaybackTranslator* playback = nullptr;
  TranslatorFactory factory;
  if (options.recorded) {
    factory = [&playback](const DeviceConfig& c, IotlbChannel* channel) {
      auto t = std::make_unique<PlaybackTranslator>(c, channel);
      playback = t.get();
      return std::unique_ptr<Translator>(std::move(t));
    };
  } else {
    absl::StatusOr<TranslatorFactory> found = FindTranslator(options.translator);
    if (!found.ok()) {
      return BadInput(absl::StrFormat("%s: %s", path, found.status().message()), 0, 0);
    }
    factory = *std::move(found);
  }

  // The faults the producing run injected (simulator traces) are injected
  // again, event by event, in both modes: the translator under test meets
  // the same refusals and lost messages, and a recording's answers match.
  RecordedChannelFaults faults;
  HarnessOptions harness_options;
  harness_options.strict = options.strict.value_or(reader.header().strict());
  // Only the last record: memory follows the live mappings, not the trace.
  harness_options.keep_log = false;
  harness_options.faults = &faults;
  Harness harness(*config, factory, harness_options);

  trace::Event proto;
  uint64_t index = 0;
  for (;; ++index) {
    absl::StatusOr<bool> more = reader.Next(&proto);
    if (!more.ok()) return BadInput(std::string(more.status().message()), index, index);
    if (!*more) break;
    absl::StatusOr<Event> event = EventFromProto(proto);
    if (!event.ok()) {
      return BadInput(
          absl::StrFormat("%s: event %u: %s", path, index, event.status().message()), index,
          index);
    }
    StepRecord recorded;  // empty when the trace holds inputs only
    // Checked whoever replays; built only for the recording's judge, or for
    // the faults, which most events have none of.
    const bool judged = playback != nullptr && (proto.has_outputs() || proto.sent_size() > 0);
    absl::Status outputs_ok;
    if (judged || proto.faults_size() > 0) {
      absl::StatusOr<StepRecord> outputs = RecordedOutputs(proto);  // checks them too
      outputs_ok = outputs.status();
      if (outputs.ok()) recorded = *std::move(outputs);
    } else {
      outputs_ok = CheckRecordedOutputs(proto);
    }
    if (!outputs_ok.ok()) {
      return BadInput(absl::StrFormat("%s: event %u: %s", path, index, outputs_ok.message()),
                      index, index);
    }
    if (playback != nullptr) playback->Load(recorded, AnswersRecorded(proto));
    faults.Load(recorded.faults);
    if (absl::Status s = harness.Step(*event); !s.ok()) {
      return BadInput(absl::StrFormat("%s: event %u (%s): %s", path, index,
                                      EventKind(*event), s.message()),
                      index, index);
    }

    std::optional<Divergence> d;
    if (playback != nullptr && playback->answer_mismatch()) {
      // Checked first: once the emulator and the recording disagree about an
      // answer, what the oracle says next follows from that.
      d = AnswerMismatch(*playback->answer_mismatch(), recorded, harness.log().back());
    } else if (harness.failed()) {
      d = harness.divergence();
    }
    if (d) {
      if (options.at_stop) options.at_stop(harness, d, index + 1);
      ReplayResult r;
      r.verdict = ReplayVerdict::kFail;
      r.report = FailureReport(path, index, *event, *d, harness.log().back(), harness);
      r.divergence = std::move(d);
      r.event_index = index;
      r.events = index + 1;
      return r;
    }
    if (options.stop_after && index == *options.stop_after) {
      ++index;
      break;
    }
  }
  if (options.at_stop) options.at_stop(harness, std::nullopt, index);
  ReplayResult r;
  r.events = index;
  return r;
}

}  // namespace iovacheck
