// Waiting for the next frame from a child process that runs foreign code (a
// plug-in, Linux's code as the device), within a CPU and a wall-time limit.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_CHILD_WAIT_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_CHILD_WAIT_H_

#include <sys/types.h>

#include <string>

namespace iovacheck {

struct ChildWait {
  enum class Outcome {
    kFrame,   // *frame holds the next frame
    kExited,  // the child ended; status is waitpid's (it is reaped)
    kGone,    // end of file or a broken socket; the child is not reaped yet
    kHang,    // no answer within the limits; detail says which (not reaped)
  };
  Outcome outcome = Outcome::kGone;
  int status = 0;
  std::string detail;
};

// cpu_seconds counts the child's CPU from the moment the wait first runs
// past one poll slice (reading /proc on every call would cost more than the
// call); wall_seconds the time waited.
ChildWait WaitForFrame(int fd, pid_t pid, double cpu_seconds, double wall_seconds,
                       std::string* frame);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_CHILD_WAIT_H_
