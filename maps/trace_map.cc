#include "maps/trace_map.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "maps/map_builder.h"
#include "maps/svg_render.h"
#include "sim/harness.h"
#include "traces/output_file.h"

namespace iovacheck {

MappedReplay ReplayAndMap(const std::string& trace_path, ReplayOptions replay,
                          bool only_divergence) {
  MappedReplay out;
  const std::string who = replay.recorded ? "its recorded outputs" : replay.translator;
  replay.at_stop = [&](const Harness& harness, const std::optional<Divergence>& d,
                       uint64_t events) {
    if (only_divergence && !d) return;
    if (events == 0) {
      out.caption = absl::StrFormat("%s: no events", trace_path);
    } else {
      out.caption = absl::StrFormat("%s, replayed against %s: %s event %u (%s)", trace_path, who,
                                    d ? "diverges at" : "after", events - 1,
                                    EventKind(harness.log().back().event));
    }
    out.svg = RenderSvg(BuildAddressMap(harness.model(), harness.device(), d, out.caption));
  };
  out.result = ReplayTrace(trace_path, replay);
  return out;
}

absl::StatusOr<TraceMap> MapTrace(const std::string& trace_path, const TraceMapOptions& options) {
  ReplayOptions replay = options.replay;
  replay.stop_after = options.at;
  MappedReplay mapped = ReplayAndMap(trace_path, replay);
  const ReplayResult& r = mapped.result;
  if (r.verdict == ReplayVerdict::kBadInput) return absl::InvalidArgumentError(r.report);
  if (options.at && r.verdict == ReplayVerdict::kPass && r.events <= *options.at) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: --at=%u, but the trace has %u events (0..%u)", trace_path, *options.at,
                        r.events, r.events == 0 ? 0 : r.events - 1));
  }
  if (!mapped.svg) {
    return absl::InternalError(absl::StrFormat("%s: the replay drew nothing", trace_path));
  }
  TraceMap out;
  out.svg = *std::move(mapped.svg);
  out.caption = mapped.caption;
  out.events = r.events;
  out.diverged = r.verdict == ReplayVerdict::kFail;
  return out;
}

std::string MapPathBeside(const std::string& trace_path) {
  for (const char* suffix : {".textproto", ".txtpb", ".pbtxt", ".trace"}) {
    if (absl::EndsWith(trace_path, suffix)) {
      return trace_path.substr(0, trace_path.size() - std::string(suffix).size()) + ".map.svg";
    }
  }
  return trace_path + ".map.svg";
}

absl::StatusOr<std::string> WriteMapBeside(const std::string& trace_path,
                                           const ReplayOptions& replay) {
  TraceMapOptions options;
  options.replay = replay;
  absl::StatusOr<TraceMap> map = MapTrace(trace_path, options);
  if (!map.ok()) return map.status();
  const std::string path = MapPathBeside(trace_path);
  if (absl::Status s = WriteOutputFile(path, map->svg); !s.ok()) return s;
  return path;
}

}  // namespace iovacheck
