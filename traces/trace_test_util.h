// Test support: small traces built in code and written into TEST_TMPDIR, the
// facts file's aliasing scenario, and recorded runs of a real translator.
#ifndef IOVACHECK_TRACES_TRACE_TEST_UTIL_H_
#define IOVACHECK_TRACES_TRACE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "model/device_config.h"
#include "sim/event.h"
#include "traces/trace.pb.h"

namespace iovacheck {

// A fresh path under TEST_TMPDIR (or /tmp outside Bazel).
std::string TestPath(const std::string& name);

// Format version 1, the given device, a producer naming the tests.
trace::Header TestHeader(const DeviceConfig& config = {}, bool strict = false);

Section NamedSection(const std::string& name, uint64_t gpa, uint64_t size, uint64_t hva);

// Facts section 2: low RAM, high RAM and the smram alias inside low RAM's
// HVA are added in one transaction, then the alias is deleted in another.
// `legacy` unmaps low RAM at the deletion (event 6).
std::vector<Event> AliasingScenario();
inline constexpr uint64_t kAliasDeleteIndex = 6;

// The events as inputs only.
std::vector<trace::Event> InputsOnly(const std::vector<Event>& events);
// The events with the outputs `translator` produced for them, up to and
// including the first divergence.
absl::StatusOr<std::vector<trace::Event>> RecordRun(const std::string& translator,
                                                    const DeviceConfig& config,
                                                    const std::vector<Event>& events);

// A whole trace, in the format the path's suffix names.
absl::Status WriteTestTrace(const std::string& path, const trace::Header& header,
                            const std::vector<trace::Event>& events);

// Raw file access, for cutting and corrupting files.
std::string ReadBytes(const std::string& path);
void WriteBytes(const std::string& path, const std::string& bytes);
void AppendBytes(const std::string& path, const std::string& bytes);
// A message as a binary trace holds it: varint length, then the bytes.
std::string Delimited(const std::string& serialized);
std::string Delimited(const google::protobuf::Message& message);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_TRACE_TEST_UTIL_H_
