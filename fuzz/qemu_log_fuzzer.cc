// The QEMU -trace log importer on any bytes: what it imports, it can write
// and read back.
#include <optional>
#include <string>

#include "fuzz/fuzz_target.h"
#include "fuzz/trace_round_trip.h"
#include "traces/qemu_log_import.h"
#include "traces/trace_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string log = iovacheck::FuzzScratchPath(".log");
  static const std::string out = iovacheck::FuzzScratchPath("-imported.trace");
  iovacheck::WriteFuzzScratch(log, data, size);
  std::optional<std::string> checked;  // the last trace checked, serialized
  for (bool strict : {false, true}) {
    iovacheck::ImportOptions options;
    options.strict = strict;
    absl::StatusOr<iovacheck::trace::Trace> t = iovacheck::ImportQemuLog(log, options, nullptr);
    if (!t.ok()) continue;
    if (absl::Status s = iovacheck::WriteWholeTrace(out, *t); !s.ok()) {
      iovacheck::FuzzFinding("an imported trace cannot be written: " + std::string(s.message()));
    }
    // Most logs import the same either way: the same trace needs checking
    // once (CheckTraceFile reads only the file, which would be identical).
    std::string bytes = t->SerializeAsString();
    if (checked == bytes) continue;
    iovacheck::CheckTraceFile(out);
    checked = std::move(bytes);
  }
  return 0;
}
