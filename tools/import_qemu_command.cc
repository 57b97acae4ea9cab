#include "tools/import_qemu_command.h"

#include <iostream>

#include "absl/strings/str_format.h"
#include "traces/qemu_log_import.h"
#include "traces/trace_io.h"
#include "tools/same_file.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck import-qemu";

int Usage(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

}  // namespace

int RunImportQemu(const std::string& log, const std::string& output, bool strict) {
  if (log.empty()) return Usage("no QEMU log given");
  if (output.empty()) return Usage("no output trace given (-o TRACE)");
  // The write would replace the log with the trace: the only copy is lost.
  if (SameFile(log, output)) {
    return Usage(absl::StrFormat("output %s is the log itself; refusing to overwrite it",
                                 output));
  }
  ImportOptions options;
  options.strict = strict;
  ImportStats stats;
  absl::StatusOr<trace::Trace> trace = ImportQemuLog(log, options, &stats);
  if (!trace.ok()) return Usage(std::string(trace.status().message()));

  const std::string comment = absl::StrFormat(
      "Imported by %s from %s: %u lines, %u events, %u IOTLB messages.", kCommand, log,
      stats.lines, stats.events, stats.messages);
  if (absl::Status s = WriteWholeTrace(output, *trace, comment); !s.ok()) {
    return Usage(std::string(s.message()));
  }
  std::cout << absl::StrFormat(
      "imported %s -> %s: %u events (%u IOTLB messages) from %u lines; %u lines ignored, "
      "%u unaligned region events ignored, %u malformed lines skipped\n",
      log, output, stats.events, stats.messages, stats.lines, stats.ignored,
      stats.unaligned, stats.malformed);
  for (const std::string& w : stats.warnings) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace iovacheck
