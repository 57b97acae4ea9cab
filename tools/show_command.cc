#include "tools/show_command.h"

#include <cstring>
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "mdev/trace_file.h"
#include "model/device_config.h"
#include "model/errno_text.h"
#include "model/iotlb_msg.h"
#include "sim/event.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

int Bad(const std::string& message) {
  std::cerr << "iovacheck show: " << message << "\n";
  return 2;
}

void PrintHeader(const std::string& path, const TraceReader& reader,
                 const DeviceConfig* config) {
  const trace::Header& h = reader.header();
  std::cout << absl::StrFormat("trace %s (format version %u, %s)\n", path,
                               h.format_version(),
                               reader.format() == TraceFormat::kText ? "text" : "binary");
  const trace::Producer& p = h.producer();
  std::cout << absl::StrFormat(
      "producer: tool \"%s\" seed %u scenario \"%s\" translator \"%s\" source \"%s\"\n",
      p.tool(), p.seed(), p.scenario(), p.translator(), p.source());
  if (config != nullptr) {
    std::cout << "device: " << DeviceConfigToString(*config) << "\n";
  } else {
    std::cout << "domain: " << h.domain() << "\n";
  }
  std::cout << "strict: " << (h.strict() ? "yes" : "no") << "\n";
  for (const trace::Expectation& e : h.expect()) {
    std::string line = absl::StrFormat("expect: %s %s", e.translator(),
                                       trace::Expectation::Verdict_Name(e.verdict()));
    if (e.verdict() == trace::Expectation::FAIL) {
      absl::StrAppendFormat(&line, " rule %s at event %u", e.rule(), e.event_index());
    }
    std::cout << line << "\n";
  }
}

// The recorded outputs beneath an event; nothing when it holds inputs only.
void PrintOutputs(const trace::Event& proto, const StepRecord& outputs) {
  for (int i = 0; i < proto.sent_size(); ++i) {
    const trace::IotlbMessage& m = proto.sent(i);
    const std::string answer = !m.answered()      ? "(answer not recorded)"
                               : m.error() == 0 ? "ok"
                                                : ErrnoText(m.error());
    std::cout << absl::StrFormat("      -> %s => %s\n",
                                 IotlbMsgToString(outputs.sent[i].msg), answer);
  }
  if (!proto.has_outputs()) return;
  if (outputs.rc != 0) {
    std::cout << absl::StrFormat("      <- rc %d (%s)\n", outputs.rc,
                                 ErrnoText(outputs.rc));
  }
  for (uint64_t iova : outputs.iovas) std::cout << absl::StrFormat("      <- iova 0x%x\n", iova);
  for (const DmaSegment& s : outputs.dma) {
    std::cout << absl::StrFormat("      <- hva [0x%x, +0x%x)\n", s.hva, s.len);
  }
}

// A trace of the mdev domain: its events as the mdev harness prints them.
int ShowMdev(const std::string& path, const TraceReader& reader) {
  absl::StatusOr<MdevTrace> t = ReadMdevTrace(path);
  if (!t.ok()) return Bad(std::string(t.status().message()));
  PrintHeader(path, reader, nullptr);
  for (size_t i = 0; i < t->events.size(); ++i) {
    std::cout << absl::StrFormat("#%-3u %s\n", i, MdevEventToString(t->events[i]));
  }
  return 0;
}

}  // namespace

int RunShow(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> opened = TraceReader::Open(path);
  if (!opened.ok()) return Bad(std::string(opened.status().message()));
  TraceReader& reader = **opened;
  if (reader.header().domain() == kMdevDomain) return ShowMdev(path, reader);
  absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(reader.header().device());
  if (!config.ok()) {
    return Bad(absl::StrFormat("%s: header: %s", path, config.status().message()));
  }
  PrintHeader(path, reader, &*config);

  trace::Event proto;
  for (uint64_t index = 0;; ++index) {
    absl::StatusOr<bool> more = reader.Next(&proto);
    if (!more.ok()) return Bad(std::string(more.status().message()));
    if (!*more) break;
    absl::StatusOr<Event> event = EventFromProto(proto);
    if (!event.ok()) {
      return Bad(absl::StrFormat("%s: event %u: %s", path, index, event.status().message()));
    }
    absl::StatusOr<StepRecord> outputs = RecordedOutputs(proto);
    if (!outputs.ok()) {
      return Bad(absl::StrFormat("%s: event %u: %s", path, index, outputs.status().message()));
    }
    std::cout << absl::StrFormat("#%u %s\n", index, EventToString(*event));
    PrintOutputs(proto, *outputs);
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace iovacheck
