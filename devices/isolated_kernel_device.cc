#include "devices/isolated_kernel_device.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_format.h"
#include "devices/kernel_device.h"
#include "devices/kernel_device_child.h"
#include "model/errno_text.h"
#include "translator/plugin/child_wait.h"
#include "translator/plugin/process_stats.h"
#include "translator/plugin/wire.h"

namespace iovacheck {
namespace {

using namespace kernel_protocol;  // NOLINT: the op names

// Held from socketpair() until the parent closed the child's end, so that a
// device child forked by another thread meanwhile does not inherit it.
std::mutex& ForkMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

}  // namespace

DeviceIsolationLimits& KernelDeviceLimits() {
  static auto* limits = new DeviceIsolationLimits;
  return *limits;
}

absl::StatusOr<std::unique_ptr<IsolatedKernelDevice>> IsolatedKernelDevice::Open(
    const std::string& version, const DeviceConfig& config) {
  // Loaded here, in the parent: the child only calls into it.
  absl::StatusOr<const KernelApi*> api = KernelDevice::Load(version);
  if (!api.ok()) return api.status();
  std::unique_ptr<IsolatedKernelDevice> d(new IsolatedKernelDevice(version, config));
  int sv[2];
  {
    std::lock_guard<std::mutex> lock(ForkMutex());
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      return absl::InternalError(absl::StrFormat("socketpair: %s", ErrnoText(errno)));
    }
    std::fflush(nullptr);  // or the child's exit would write it again
    d->pid_ = fork();
    if (d->pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int keep = sv[1];
      close_range(3, keep - 1, 0);
      close_range(keep + 1, ~0U, 0);
      // A crash must reach the parent as the signal that caused it.
      for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) {
        signal(sig, SIG_DFL);
      }
      ServeKernelDevice(keep, *api, version, config);
    }
    close(sv[1]);
    if (d->pid_ < 0) {
      close(sv[0]);
      return absl::InternalError(absl::StrFormat("fork: %s", ErrnoText(errno)));
    }
    d->fd_ = sv[0];
  }
  std::string frame;
  if (!d->Receive(&frame)) {
    d->Die(false, d->death_ ? d->death_->detail : "no answer", "opening the device");
    return d;
  }
  WireReader r(frame);
  uint8_t kind = 0, opened = 0;
  if (!r.U8(&kind) || kind != kOpen || !r.U8(&opened)) {
    return absl::InternalError("linux-" + version + "'s child answered out of step");
  }
  if (opened == 0) {
    std::string why;
    r.Str(&why);
    return absl::FailedPreconditionError(why);
  }
  if (!GetState(r, &d->state_)) {
    return absl::InternalError("linux-" + version + "'s child answered out of step");
  }
  return d;
}

IsolatedKernelDevice::~IsolatedKernelDevice() {
  if (fd_ >= 0) close(fd_);  // the child sees end of file and leaves
  if (pid_ > 0 && !reaped_) {
    // Killed rather than waited for: it may be hung, or share a socket with
    // a sibling forked at the same moment.
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool IsolatedKernelDevice::Receive(std::string* frame) const {
  const DeviceIsolationLimits& limits = KernelDeviceLimits();
  ChildWait w = WaitForFrame(fd_, pid_, limits.cpu_seconds, limits.wall_seconds, frame);
  switch (w.outcome) {
    case ChildWait::Outcome::kFrame:
      return true;
    case ChildWait::Outcome::kHang:
      Die(true, w.detail, "");
      return false;
    case ChildWait::Outcome::kGone:
      // End of file or a broken socket: the child died; reap it for the cause.
      if (waitpid(pid_, &w.status, 0) != pid_) {
        Die(false, "the child's socket broke", "");
        return false;
      }
      break;
    case ChildWait::Outcome::kExited:
      break;
  }
  reaped_ = true;
  Die(false,
      WIFSIGNALED(w.status) ? SignalName(WTERMSIG(w.status))
                            : absl::StrFormat("exit status %d", WEXITSTATUS(w.status)),
      "");
  return false;
}

void IsolatedKernelDevice::Die(bool hang, const std::string& detail,
                               const std::string& what) const {
  if (!death_) death_ = DeviceDeath{hang, detail, what};
  if (death_->during.empty()) death_->during = what;
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    reaped_ = true;
  }
}

std::optional<std::string> IsolatedKernelDevice::Call(const std::string& call,
                                                      const std::string& what) const {
  if (death_) return std::nullopt;
  std::string frame;
  if (!SendFrame(fd_, call) || !Receive(&frame)) {
    // Receive has said how the child died, if it could; this says where.
    Die(false, death_ ? death_->detail : "the child's socket broke", what);
    return std::nullopt;
  }
  return frame;
}

WriteResult IsolatedKernelDevice::Write(const IotlbMsg& msg) {
  WireWriter w;
  w.U8(kWrite);
  PutMsg(msg, w);
  std::optional<std::string> answer = Call(w.bytes(), "write() of " + IotlbMsgToString(msg));
  // A dead device refuses everything.
  if (!answer) return WriteResult{EFAULT, EFAULT};
  WireReader r(*answer);
  uint32_t err = 0;
  if (!r.U32(&err) || !GetState(r, &state_)) {
    Die(false, "the child answered out of step", "write() of " + IotlbMsgToString(msg));
    return WriteResult{EFAULT, EFAULT};
  }
  return WriteResult{static_cast<int>(err), static_cast<int>(err)};
}

void IsolatedKernelDevice::CallForState(uint8_t op, const std::string& what) {
  WireWriter w;
  w.U8(op);
  std::optional<std::string> answer = Call(w.bytes(), what);
  if (!answer) return;
  WireReader r(*answer);
  if (!GetState(r, &state_)) Die(false, "the child answered out of step", what);
}

void IsolatedKernelDevice::Reset() { CallForState(kReset, "VHOST_VDPA_SET_STATUS(0)"); }

void IsolatedKernelDevice::Reopen() { CallForState(kReopen, "close() and open() of the fd"); }

int IsolatedKernelDevice::Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
                              std::vector<DmaSegment>* out) const {
  if (out != nullptr) out->clear();
  if (len == 0) return 0;
  WireWriter w;
  w.U8(kDma).U32(asid).U64(iova).U64(len).U8(need_perm);
  const std::string what = absl::StrFormat("a device %s of asid %u iova [0x%x, +0x%x)",
                                           need_perm == kPermWO ? "write" : "read", asid,
                                           iova, len);
  std::optional<std::string> answer = Call(w.bytes(), what);
  if (!answer) return EFAULT;
  WireReader r(*answer);
  uint32_t rc = 0, n = 0;
  if (!r.U32(&rc) || !r.U32(&n)) {
    Die(false, "the child answered out of step", what);
    return EFAULT;
  }
  std::vector<DmaSegment> segments;
  for (uint32_t i = 0; i < n; ++i) {
    DmaSegment s;
    if (!r.U64(&s.hva) || !r.U64(&s.len)) {
      Die(false, "the child answered out of step", what);
      return EFAULT;
    }
    segments.push_back(s);
  }
  if (rc == 0 && out != nullptr) *out = std::move(segments);
  return static_cast<int>(rc);
}

void IsolatedKernelDevice::MisbehaveNextAllocation(int how) {
  WireWriter w;
  w.U8(kMisbehave).U32(static_cast<uint32_t>(how));
  if (!death_) SendFrame(fd_, w.bytes());
}

const IntervalTable* IsolatedKernelDevice::vhost_table(uint32_t asid) const {
  auto it = state_.vhost.find(asid);
  return it == state_.vhost.end() ? nullptr : &it->second;
}

const IntervalTable* IsolatedKernelDevice::device_table(uint32_t asid) const {
  auto it = state_.parent.find(asid);
  return it == state_.parent.end() ? nullptr : &it->second;
}

std::vector<uint32_t> IsolatedKernelDevice::asids() const {
  std::vector<uint32_t> out;
  for (const auto& [asid, t] : state_.vhost) out.push_back(asid);
  return out;
}

bool IsolatedKernelDevice::parent_default(uint32_t asid) const {
  return asid < state_.parent_default.size() && state_.parent_default[asid];
}

}  // namespace iovacheck
