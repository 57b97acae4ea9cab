// `iovacheck promote MINIMAL --name=NAME`: makes a (shrunk) failing trace a
// regression case. Writes it as traces/regressions/NAME.textproto with a
// comment header saying what it found, where it came from (the original
// seed or source) and when, so that //traces:regression_NAME replays it from
// then on. Refuses to overwrite an existing case, and refuses a trace whose
// stated verdicts do not hold today (the new test would fail at once).
#ifndef IOVACHECK_TOOLS_PROMOTE_COMMAND_H_
#define IOVACHECK_TOOLS_PROMOTE_COMMAND_H_

#include <string>

#include "absl/time/time.h"

namespace iovacheck {

struct PromoteCommand {
  std::string minimal;          // the trace to promote (either format)
  std::string name;             // [A-Za-z0-9_-]+: the file and the test's name
  std::string regressions_dir;  // traces/regressions of the source tree
  absl::Time now;               // for the date in the header
};

// Exit status: 0 written; 2 bad arguments or input, an existing case, or
// verdicts that do not hold (nothing is written then).
int RunPromote(const PromoteCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_PROMOTE_COMMAND_H_
