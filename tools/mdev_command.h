// `iovacheck mdev --tracker=NAME --seeds=A..B [--steps=N]`: the mdev
// domain's campaign. Each seed's `mdev` scenario run (mdev/scenario.h) is
// held to VFIO type1 with the named vendor-driver tracker; a failing seed
// gets its report; the first --max_shrinks of them also get their run
// written as a trace (DIR/mdev-TRACKER-seedN.trace) and shrunk to a
// 1-minimal one, printed event by event and written beside it
// (.min.textproto), replayable by `iovacheck replay` and promotable.
#ifndef IOVACHECK_TOOLS_MDEV_COMMAND_H_
#define IOVACHECK_TOOLS_MDEV_COMMAND_H_

#include <cstdint>
#include <string>

namespace iovacheck {

struct MdevCommand {
  std::string tracker;  // mdev/registry.h's names
  std::string seeds;    // "A..B", inclusive
  uint64_t steps = 200;
  uint64_t max_shrinks = 1;  // failing seeds written and shrunk (the first)
  std::string out_dir;       // empty: mdev-TRACKER
};

// 0 every seed held, 1 a failure, 2 bad arguments.
int RunMdevCommand(const MdevCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_MDEV_COMMAND_H_
