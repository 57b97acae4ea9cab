// Writes a trace file (either format) as the bare trace::Trace message the
// structure-aware fuzzer takes: trace_proto_seed IN OUT.
#include <cstdio>
#include <fstream>
#include <string>

#include "traces/trace_io.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: trace_proto_seed IN OUT\n");
    return 2;
  }
  absl::StatusOr<iovacheck::trace::Trace> trace = iovacheck::ReadWholeTrace(argv[1]);
  if (!trace.ok()) {
    std::fprintf(stderr, "trace_proto_seed: %s\n", std::string(trace.status().message()).c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  if (!trace->SerializeToOstream(&out) || !out.flush()) {
    std::fprintf(stderr, "trace_proto_seed: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
