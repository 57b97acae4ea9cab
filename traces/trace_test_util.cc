#include "traces/trace_test_util.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "sim/harness.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {

std::string TestPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

trace::Header TestHeader(const DeviceConfig& config, bool strict) {
  trace::Header h;
  h.set_format_version(kTraceFormatVersion);
  h.mutable_producer()->set_tool("iovacheck tests");
  *h.mutable_device() = DeviceConfigToProto(config);
  h.set_strict(strict);
  return h;
}

Section NamedSection(const std::string& name, uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.name = name;
  return s;
}

std::vector<Event> AliasingScenario() {
  const Section low = NamedSection("ram-below-4g", 0x0, 0x80000000, 0x7f7903e00000);
  const Section high = NamedSection("ram-above-4g", 0x100000000, 0x1f80000000, 0x7f7983e00000);
  const Section alias = NamedSection("smram-open-high", 0xfeda0000, 0x20000, 0x7f7903ea0000);
  return {ListenerBeginEvent{}, RegionAddEvent{low},    RegionAddEvent{high},
          RegionAddEvent{alias}, ListenerCommitEvent{}, ListenerBeginEvent{},
          RegionDelEvent{alias}, ListenerCommitEvent{}};
}

std::vector<trace::Event> InputsOnly(const std::vector<Event>& events) {
  std::vector<trace::Event> out;
  for (const Event& e : events) out.push_back(EventToProto(e));
  return out;
}

absl::StatusOr<std::vector<trace::Event>> RecordRun(const std::string& translator,
                                                    const DeviceConfig& config,
                                                    const std::vector<Event>& events) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator(translator);
  if (!factory.ok()) return factory.status();
  Harness harness(config, *factory);
  for (const Event& e : events) {
    if (absl::Status s = harness.Step(e); !s.ok()) return s;
  }
  std::vector<trace::Event> out;
  for (const StepRecord& r : harness.log()) out.push_back(StepToProto(r));
  return out;
}

absl::Status WriteTestTrace(const std::string& path, const trace::Header& header,
                            const std::vector<trace::Event>& events) {
  trace::Trace whole;
  *whole.mutable_header() = header;
  for (const trace::Event& e : events) *whole.add_events() = e;
  return WriteWholeTrace(path, whole);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void AppendBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::app) << bytes;
}

std::string Delimited(const std::string& serialized) {
  std::string out;
  uint64_t length = serialized.size();
  do {
    out.push_back(static_cast<char>((length & 0x7f) | (length > 0x7f ? 0x80 : 0)));
    length >>= 7;
  } while (length != 0);
  return out + serialized;
}

std::string Delimited(const google::protobuf::Message& message) {
  return Delimited(message.SerializeAsString());
}

}  // namespace iovacheck
