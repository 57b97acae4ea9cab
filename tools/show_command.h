// `iovacheck show FILE`: prints a trace for a human: the header (producer,
// device, expectations), then one event per line, `#N <event>`, with the
// recorded outputs (IOTLB messages and answers, return code, IOVAs, DMA
// pieces) indented beneath when the trace holds them. Streams the trace.
#ifndef IOVACHECK_TOOLS_SHOW_COMMAND_H_
#define IOVACHECK_TOOLS_SHOW_COMMAND_H_

#include <string>

namespace iovacheck {

// 0 when the whole trace was printed; 2, with a one-line error on stderr
// naming the file and where, when it is malformed.
int RunShow(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_SHOW_COMMAND_H_
