// `iovacheck map TRACE [--at=N] -o FILE.svg`: the three address spaces of a
// trace at one event (default: its first divergence, else its end) as an
// SVG (maps/trace_map.h). The trace is replayed against --translator (by
// default the one its header says fails it, as shrink does) or, with
// --recorded, its own recorded outputs.
#ifndef IOVACHECK_TOOLS_MAP_COMMAND_H_
#define IOVACHECK_TOOLS_MAP_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>

namespace iovacheck {

struct MapCommand {
  std::string trace;
  std::string output;  // -o
  std::optional<uint64_t> at;
  std::string translator;  // empty: the header's failing one
  bool recorded = false;
  std::string device;  // empty: the trace header's
};

// 0 the map was written; 2 bad arguments or input (one line on stderr).
int RunMap(const MapCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_MAP_COMMAND_H_
