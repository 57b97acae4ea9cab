// `iovacheck replay FILE`: replays a trace through a translator (or, with
// --recorded, judges the trace's own recorded outputs) and prints either
// "PASS FILE: N events" or the divergence report.
#ifndef IOVACHECK_TOOLS_REPLAY_COMMAND_H_
#define IOVACHECK_TOOLS_REPLAY_COMMAND_H_

#include <optional>
#include <string>

namespace iovacheck {

// `strict`: nullopt follows the trace header. Exit status as ReplayExitCode:
// 0 pass, 1 a divergence (a bug was found), 2 bad input or arguments.
// device: empty replays against the device the trace's header names.
// A trace of the mdev domain (header domain "vfio-mdev") is replayed
// against `tracker`, or the tracker that produced it.
int RunReplay(const std::string& path, const std::string& translator, bool recorded,
              std::optional<bool> strict, const std::string& device,
              const std::string& tracker = "");

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_REPLAY_COMMAND_H_
