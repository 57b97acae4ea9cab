#include "traces/temp_files.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace iovacheck {
namespace {

// A fixed table the signal handler can walk without locks or allocation:
// a slot's path is written before the slot is published, and unlink() is
// async-signal-safe.
constexpr int kSlots = 64;
constexpr size_t kPathBytes = 4096;
enum SlotState : int { kFree, kClaimed, kReady };
struct Slot {
  std::atomic<int> state{kFree};
  char path[kPathBytes];
};
Slot slots[kSlots];

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// The process the files belong to: a child forked for a plug-in or for
// Linux's code inherits the handler, and must not remove its parent's files
// when it is the one stopped.
std::atomic<pid_t> owner{0};

void OnSignal(int sig) {
  const int saved_errno = errno;
  if (getpid() == owner.load()) {
    // Files first, then directories (rmdir() of a file fails harmlessly, as
    // does unlink() of a directory): a scratch directory is empty by then.
    for (Slot& s : slots) {
      if (s.state.load(std::memory_order_acquire) == kReady) unlink(s.path);
    }
    for (Slot& s : slots) {
      if (s.state.load(std::memory_order_acquire) == kReady) rmdir(s.path);
    }
  }
  errno = saved_errno;
  // As if we had never caught it: the exit status says which signal.
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void RemoveTempFilesOnSignals() {
  static const bool installed = [] {
    owner = getpid();
    for (int sig : kSignals) {
      struct sigaction action {};
      // A signal ignored when we started (nohup) stays ignored.
      if (sigaction(sig, nullptr, &action) == 0 && action.sa_handler == SIG_IGN) continue;
      action = {};
      action.sa_handler = OnSignal;
      sigemptyset(&action.sa_mask);
      sigaction(sig, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

void RegisterTempFile(const std::string& path) {
  if (path.size() >= kPathBytes) return;
  for (Slot& s : slots) {
    int expected = kFree;
    if (s.state.compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel)) {
      std::memcpy(s.path, path.c_str(), path.size() + 1);
      s.state.store(kReady, std::memory_order_release);
      return;
    }
  }
}

CleanupSignalsHeld::CleanupSignalsHeld() {
  sigset_t held;
  sigemptyset(&held);
  for (int sig : kSignals) sigaddset(&held, sig);
  pthread_sigmask(SIG_BLOCK, &held, &before_);
}

CleanupSignalsHeld::~CleanupSignalsHeld() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }

void ForgetTempFile(const std::string& path) {
  for (Slot& s : slots) {
    if (s.state.load(std::memory_order_acquire) == kReady && path == s.path) {
      int expected = kReady;
      if (s.state.compare_exchange_strong(expected, kFree, std::memory_order_acq_rel)) return;
    }
  }
}

}  // namespace iovacheck
