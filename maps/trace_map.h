// The address map of a trace at one event: the trace is replayed (against a
// translator, or its recorded outputs) up to that event, or to its first
// divergence, and the model and device are drawn as they stand
// (map_builder.h, svg_render.h). What `iovacheck map` prints, and what every
// failure report writes beside its trace.
#ifndef IOVACHECK_MAPS_TRACE_MAP_H_
#define IOVACHECK_MAPS_TRACE_MAP_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "traces/replay.h"

namespace iovacheck {

struct TraceMapOptions {
  // The event to draw the moment after (counted from 0); default: the first
  // divergence, else the last event.
  std::optional<uint64_t> at;
  ReplayOptions replay;  // translator, recorded, device; stop_after is `at`
};

struct TraceMap {
  std::string svg;
  uint64_t events = 0;    // replayed, the drawn one included
  bool diverged = false;  // the replay stopped at a divergence
  std::string caption;    // the map's title line
};

// A replay as ReplayTrace runs it, with the map of where it stopped (its
// divergence, replay.stop_after, or its end; none on bad input). With
// `only_divergence` a replay that passes draws nothing: `replay` of a long
// trace does not pay for a picture it will not write.
struct MappedReplay {
  ReplayResult result;
  std::optional<std::string> svg;
  std::string caption;
};
MappedReplay ReplayAndMap(const std::string& trace_path, ReplayOptions replay,
                          bool only_divergence = false);

// InvalidArgument, naming the file, for a trace that does not replay (bad
// input) or that ends before `at`.
absl::StatusOr<TraceMap> MapTrace(const std::string& trace_path, const TraceMapOptions& options);

// "dir/x.min.textproto" -> "dir/x.min.map.svg"; "x.trace" -> "x.map.svg".
std::string MapPathBeside(const std::string& trace_path);

// For a failure report: the map of the trace's first divergence written
// beside it (MapPathBeside), its path returned.
absl::StatusOr<std::string> WriteMapBeside(const std::string& trace_path,
                                           const ReplayOptions& replay);

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_TRACE_MAP_H_
