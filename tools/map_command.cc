#include "tools/map_command.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "maps/trace_map.h"
#include "tools/shrink_command.h"
#include "traces/output_file.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

int Fail(const std::string& message) {
  std::cerr << "iovacheck map: " << message << "\n";
  return 2;
}

}  // namespace

int RunMap(const MapCommand& command) {
  if (command.output.empty()) return Fail("-o FILE.svg is required");
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(command.trace);
  if (!reader.ok()) return Fail(std::string(reader.status().message()));
  const trace::Header header = (*reader)->header();
  reader->reset();
  if (header.domain() == kMdevDomain) {
    return Fail(command.trace + ": a VFIO mdev trace has no IOTLB to draw");
  }
  TraceMapOptions options;
  options.at = command.at;
  options.replay.recorded = command.recorded;
  options.replay.device = command.device;
  options.replay.translator =
      command.translator.empty() ? DefaultShrinkTranslator(header) : command.translator;
  absl::StatusOr<TraceMap> map = MapTrace(command.trace, options);
  if (!map.ok()) return Fail(std::string(map.status().message()));
  if (absl::Status s = WriteOutputFile(command.output, map->svg); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  // The SVG itself may be going to stdout.
  std::ostream& say = command.output == "/dev/stdout" ? std::cerr : std::cout;
  say << map->caption << "\n";
  if (command.at && map->diverged && map->events - 1 < *command.at) {
    say << absl::StrFormat("(the replay diverged at event %u, before --at=%u: drawn there)\n",
                           map->events - 1, *command.at);
  }
  say << "map written to " << command.output << "\n";
  return 0;
}

}  // namespace iovacheck
