// The text trace reader on any bytes.
#include "fuzz/fuzz_target.h"
#include "fuzz/trace_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = iovacheck::FuzzScratchPath(".textproto");
  iovacheck::WriteFuzzScratch(path, data, size);
  iovacheck::CheckTraceFile(path);
  return 0;
}
