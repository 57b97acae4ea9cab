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
  // Streamed: events go to the output as they are read; the header, which
  // the whole log decides, goes in front at the end.
  absl::StatusOr<std::unique_ptr<TraceWriter>> writer = TraceWriter::CreateWithLateHeader(output);
  if (!writer.ok()) return Usage(std::string(writer.status().message()));
  absl::StatusOr<trace::Header> header = ImportQemuLogStreaming(
      log, options, &stats, [&writer](trace::Event event) { return (*writer)->Append(event); });
  if (!header.ok()) return Usage(std::string(header.status().message()));
  (*writer)->set_header(*header);
  (*writer)->set_leading_comment(absl::StrFormat(
      "Imported by %s from %s: %u lines, %u events, %u IOTLB messages.", kCommand, log,
      stats.lines, stats.events, stats.messages));
  if (absl::Status s = (*writer)->Close(); !s.ok()) return Usage(std::string(s.message()));
  std::cout << absl::StrFormat(
      "imported %s -> %s: %u events (%u IOTLB messages) from %u lines; %u lines ignored, "
      "%u unaligned region events ignored, %u malformed lines skipped\n",
      log, output, stats.events, stats.messages, stats.lines, stats.ignored,
      stats.unaligned, stats.malformed);
  for (const std::string& w : stats.warnings) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace iovacheck
