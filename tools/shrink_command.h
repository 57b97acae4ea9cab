// `iovacheck shrink FAILING -o MINIMAL [--translator=NAME] [--recorded]
// [--budget=SECONDS]`: shrinks a failing trace (shrink/shrinker.h) and
// writes the smallest trace that fails the same way, with its verdicts in
// the header, ready for `iovacheck promote`.
#ifndef IOVACHECK_TOOLS_SHRINK_COMMAND_H_
#define IOVACHECK_TOOLS_SHRINK_COMMAND_H_

#include <string>

#include "traces/trace.pb.h"

namespace iovacheck {

struct ShrinkCommand {
  std::string input;
  std::string output;
  // Empty: the translator the header says fails the trace (see below).
  std::string translator;
  // An mdev trace (domain vfio-mdev): the tracker to shrink against; empty:
  // the one that made the trace.
  std::string tracker;
  bool recorded = false;  // shrink the recorded outputs (e.g. an imported QEMU log)
  double budget_seconds = 60;
  // A bound in work rather than time: the same input gives the same result
  // on any machine. 0: none.
  uint64_t max_replays = 0;
  // Rewrite a progress line in place on stderr (when it is a terminal).
  bool progress = false;
};

// Prints a summary and the minimal trace on stdout and writes the output
// atomically (binary unless its name ends in .textproto). Exit status: 0
// written; 2 bad arguments, unreadable or malformed input, or a trace that
// does not fail (nothing is written then). Refuses an output that is the
// input itself.
int RunShrink(const ShrinkCommand& command);

// A header's own word on who fails the trace: the first FAIL expectation
// naming a registered translator, else the producer's translator if it is
// registered, else "decoupled".
std::string DefaultShrinkTranslator(const trace::Header& header);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_SHRINK_COMMAND_H_
