// Between the harness's events and the trace schema. Decoding validates what
// protobuf cannot: an event with no kind, a device with no page size.
#ifndef IOVACHECK_TRACES_TRACE_CODEC_H_
#define IOVACHECK_TRACES_TRACE_CODEC_H_

#include "absl/status/statusor.h"
#include "model/device_config.h"
#include "sim/harness.h"
#include "traces/compact_event_codec.h"  // kTraceFormatVersion
#include "traces/trace.pb.h"

namespace iovacheck {

inline constexpr uint32_t kMaxAddressSpaces = 65536;

trace::DeviceConfig DeviceConfigToProto(const DeviceConfig& config);
absl::StatusOr<DeviceConfig> DeviceConfigFromProto(const trace::DeviceConfig& proto);

// The input event only.
trace::Event EventToProto(const Event& event);
// The input event and the outputs the harness observed for it.
trace::Event StepToProto(const StepRecord& step);
absl::StatusOr<Event> EventFromProto(const trace::Event& proto);

// The recorded outputs of an event, as a StepRecord (event left default).
// InvalidArgument when a field does not fit what it becomes (a message's
// type or perm is a byte): cut short, `type: 258` would replay as UPDATE.
absl::StatusOr<StepRecord> RecordedOutputs(const trace::Event& proto);
// The same checks without building anything (a replay against a translator
// reads the outputs of every event but uses none).
absl::Status CheckRecordedOutputs(const trace::Event& proto);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_TRACE_CODEC_H_
