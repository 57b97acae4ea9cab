// The QEMU -trace log importer on any bytes: what it imports, it can write
// and read back.
#include "fuzz/fuzz_target.h"
#include "fuzz/trace_round_trip.h"
#include "traces/qemu_log_import.h"
#include "traces/trace_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string log = iovacheck::FuzzScratchPath(".log");
  static const std::string out = iovacheck::FuzzScratchPath("-imported.trace");
  iovacheck::WriteFuzzScratch(log, data, size);
  for (bool strict : {false, true}) {
    iovacheck::ImportOptions options;
    options.strict = strict;
    absl::StatusOr<iovacheck::trace::Trace> t = iovacheck::ImportQemuLog(log, options, nullptr);
    if (!t.ok()) continue;
    if (absl::Status s = iovacheck::WriteWholeTrace(out, *t); !s.ok()) {
      iovacheck::FuzzFinding("an imported trace cannot be written: " + std::string(s.message()));
    }
    iovacheck::CheckTraceFile(out);
  }
  return 0;
}
