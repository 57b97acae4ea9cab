// `iovacheck import-qemu LOG -o TRACE`: turns the log of a QEMU run with
// `-trace 'vhost_vdpa_*'` into a trace whose recorded outputs are the IOTLB
// messages QEMU wrote (see traces/qemu_log_import.h for what is inferred),
// ready for `iovacheck replay --recorded`.
#ifndef IOVACHECK_TOOLS_IMPORT_QEMU_COMMAND_H_
#define IOVACHECK_TOOLS_IMPORT_QEMU_COMMAND_H_

#include <string>

namespace iovacheck {

// Prints a summary (events imported, lines ignored, malformed lines skipped,
// each warning) and writes TRACE atomically, binary unless its name ends in
// .textproto. `strict`: a malformed known event line is fatal. Refuses an
// empty output name and an output that is the log itself. Exit status: 0
// written, 2 bad arguments or bad input (nothing is written).
int RunImportQemu(const std::string& log, const std::string& output, bool strict);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_IMPORT_QEMU_COMMAND_H_
