// The command line before absl parses it. absl's parser reports an unknown
// flag or a bad value (`--steps=-1`, `--seed=abc`) and exits 1, which is our
// "a bug was found" status, and its --help prints every flag of every
// command alike. Checked here first, a bad argument is one line and exit 2,
// and `iovacheck COMMAND --help` lists that command's own flags.
#ifndef IOVACHECK_TOOLS_COMMAND_LINE_H_
#define IOVACHECK_TOOLS_COMMAND_LINE_H_

#include <string>

#include "absl/status/status.h"

namespace iovacheck {

// Every --flag before a "--" exists and its value parses. InvalidArgument
// naming the argument and what is wrong otherwise.
absl::Status CheckFlags(int argc, char** argv);

// Whether --help (-h, --helpfull, --helpshort, or the word "help") is asked
// for.
bool WantsHelp(int argc, char** argv);

// The first operand that is not a flag: the command, or "" when none.
std::string CommandWord(int argc, char** argv);

// An -o that names an existing regular file (or a link to one) is refused
// unless `force`: a run must not replace what the user kept by accident.
// Devices and pipes (-o /dev/stdout) are written through and always allowed.
// An output whose directory does not exist is refused (NotFound) before the
// run rather than after it.
absl::Status CheckOutputFree(const std::string& path, bool force);

// The flags `command` reads, one paragraph each (name, default, help); ""
// for an unknown command.
std::string CommandFlagsHelp(const std::string& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_COMMAND_LINE_H_
