// Writes a property failure's shrunk sequence as a trace: inputs plus the
// outputs the failing translator produced, with the header stating the
// verdicts, so that it replays with `iovacheck replay` and can join
// traces/regressions/ as it is.
#ifndef IOVACHECK_PROPS_FAILURE_TRACE_H_
#define IOVACHECK_PROPS_FAILURE_TRACE_H_

#include <string>

#include "absl/status/statusor.h"
#include "props/property_runner.h"
#include "traces/trace.pb.h"

namespace iovacheck {

trace::Trace FailureToTrace(const PropertyOutcome& outcome, const std::string& translator);

// Writes <dir>/<translator>-<property>-seed<S>.textproto; returns its path.
absl::StatusOr<std::string> WriteFailureTrace(const PropertyOutcome& outcome,
                                              const std::string& translator,
                                              const std::string& dir);

// Where a test writes its failure traces: TEST_UNDECLARED_OUTPUTS_DIR, or
// empty outside Bazel.
std::string TestOutputsDir();

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_FAILURE_TRACE_H_
