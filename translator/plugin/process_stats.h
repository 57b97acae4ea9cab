// What a parent can learn about a child process it runs foreign code in
// (a plug-in, Linux's code as the device): its CPU time and how it died.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PROCESS_STATS_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PROCESS_STATS_H_

#include <sys/types.h>

#include <string>

namespace iovacheck {

// CPU seconds the process has used (user + system), from /proc; 0 when it
// cannot be read.
double CpuSeconds(pid_t pid);

// "SIGSEGV", or "signal N" for a number without a name.
std::string SignalName(int sig);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PROCESS_STATS_H_
