// What the trace fuzzers demand of any file the reader accepts: written back
// in either format it reads back as the same trace (text only when it holds
// no field this iovacheck does not know, which text cannot carry), and a
// replay of it, against decoupled and against its own recording, ends in a
// verdict rather than a crash.
#ifndef IOVACHECK_FUZZ_TRACE_ROUND_TRIP_H_
#define IOVACHECK_FUZZ_TRACE_ROUND_TRIP_H_

#include <string>

namespace iovacheck {

void CheckTraceFile(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_FUZZ_TRACE_ROUND_TRIP_H_
