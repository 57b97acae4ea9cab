// Replay and the trace writers and readers on traces that are plausible
// runs gone slightly wrong, made by the structure-aware mutator
// (event_mutator.h) rather than by flipping bytes: the input is a
// trace::Trace message, the seeds are the simulator's traces as such.
#include <cstring>
#include <string>

#include "fuzz/event_mutator.h"
#include "fuzz/fuzz_target.h"
#include "fuzz/trace_round_trip.h"
#include "traces/trace.pb.h"
#include "traces/trace_io.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  iovacheck::trace::Trace trace;
  if (!trace.ParseFromArray(data, static_cast<int>(size))) return 0;
  static const std::string path = iovacheck::FuzzScratchPath("-event.trace");
  // Whatever the writer refuses, it refuses cleanly; what it writes must
  // then read back, round-trip and replay (CheckTraceFile).
  if (!iovacheck::WriteWholeTrace(path, trace).ok()) return 0;
  iovacheck::CheckTraceFile(path);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  iovacheck::trace::Trace trace;
  if (!trace.ParseFromArray(data, static_cast<int>(size))) {
    return LLVMFuzzerMutate(data, size, max_size);  // not a trace (yet): bytes it is
  }
  iovacheck::MutateTrace(&trace, seed);
  std::string bytes;
  trace.SerializeToString(&bytes);
  while (bytes.size() > max_size && trace.events_size() > 0) {  // too long: drop its tail
    trace.mutable_events()->RemoveLast();
    bytes.clear();
    trace.SerializeToString(&bytes);
  }
  if (bytes.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}
