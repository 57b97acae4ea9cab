#include "translator/plugin/child_wait.h"

#include <poll.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>

#include "absl/strings/str_format.h"
#include "translator/plugin/process_stats.h"
#include "translator/plugin/wire.h"

namespace iovacheck {
namespace {

// How often a waiting parent looks at the child's CPU time and state.
constexpr int kPollSliceMs = 20;

}  // namespace

ChildWait WaitForFrame(int fd, pid_t pid, double cpu_seconds, double wall_seconds,
                       std::string* frame) {
  const auto wall_start = std::chrono::steady_clock::now();
  double cpu_at_start = -1;
  ChildWait w;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    const int n = poll(&p, 1, kPollSliceMs);
    if (n < 0 && errno != EINTR) return w;  // kGone
    if (n > 0) {
      if (ReceiveFrame(fd, frame)) w.outcome = ChildWait::Outcome::kFrame;
      return w;  // or end of file: the child is gone
    }
    if (waitpid(pid, &w.status, WNOHANG) == pid) {
      w.outcome = ChildWait::Outcome::kExited;
      return w;
    }
    if (cpu_at_start < 0) cpu_at_start = CpuSeconds(pid);
    const double cpu = CpuSeconds(pid) - cpu_at_start;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (cpu > cpu_seconds || wall > wall_seconds) {
      w.outcome = ChildWait::Outcome::kHang;
      w.detail = cpu > cpu_seconds
                     ? absl::StrFormat("no answer after %.3g s of CPU", cpu_seconds)
                     : absl::StrFormat("no answer after %.3g s of waiting", wall_seconds);
      return w;
    }
  }
}

}  // namespace iovacheck
