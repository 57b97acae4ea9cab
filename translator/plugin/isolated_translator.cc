#include "translator/plugin/isolated_translator.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/strings/str_format.h"
#include "model/errno_text.h"
#include "translator/plugin/child_wait.h"
#include "translator/plugin/plugin_child.h"
#include "translator/plugin/plugin_protocol.h"
#include "translator/plugin/process_stats.h"
#include "translator/plugin/wire.h"

namespace iovacheck {
namespace {

using namespace plugin_protocol;  // NOLINT: the frame and op names

// Log lines kept for a death report.
constexpr size_t kLogLinesKept = 20;

// Held from socketpair() to closing the child's end in the parent, so that a
// child forked by another thread meanwhile cannot inherit this pair's child
// end (the parent would then never see end of file when this child dies).
std::mutex& ForkMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

// How a reaped child ended, from waitpid()'s status.
TranslatorDeath DeathOf(int status) {
  TranslatorDeath d;
  if (WIFSIGNALED(status)) {
    d.kind = TranslatorDeath::Kind::kSignal;
    d.code = WTERMSIG(status);
    d.detail = SignalName(d.code);
  } else {
    d.kind = TranslatorDeath::Kind::kExit;
    d.code = WEXITSTATUS(status);
    d.detail = absl::StrFormat("exit status %d", d.code);
  }
  return d;
}

WireWriter CallFrame(Op op) {
  WireWriter w;
  w.U8(kCall).U8(op);
  return w;
}

void PutSection(WireWriter& w, const GuestSection& s) {
  w.U64(s.gpa).U64(s.size).U64(s.hva).U8(s.readonly ? 1 : 0).U8(s.ram ? 1 : 0);
}

}  // namespace

std::unique_ptr<Translator> IsolatedTranslator::Create(const iovacheck_plugin* plugin,
                                                       const IsolationLimits& limits,
                                                       const DeviceConfig& config,
                                                       IotlbChannel* channel) {
  std::unique_ptr<IsolatedTranslator> t(new IsolatedTranslator(limits, channel));
  t->Start(plugin, config);
  return t;
}

void IsolatedTranslator::Broken(const std::string& why) {
  TranslatorDeath d;
  d.kind = TranslatorDeath::Kind::kExit;
  d.code = -1;
  d.detail = why;
  death_ = d;
}

void IsolatedTranslator::Start(const iovacheck_plugin* plugin, const DeviceConfig& config) {
  int sv[2];
  {
    std::lock_guard<std::mutex> lock(ForkMutex());
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      return Broken(absl::StrFormat("socketpair: %s", ErrnoText(errno)));
    }
    // Unflushed output would otherwise be written twice, once by the child's
    // exit() if the plug-in calls it.
    std::fflush(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      // Only this child's end stays open: not the parent's output files, not
      // other children's sockets.
      int keep = sv[1];
      close_range(3, keep - 1, 0);
      close_range(keep + 1, ~0U, 0);
      // A crash must reach the parent as the signal that caused it.
      for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) {
        signal(sig, SIG_DFL);
      }
      RunPluginChild(keep, plugin, config);
    }
    close(sv[1]);
    if (pid_ < 0) {
      close(sv[0]);
      return Broken(absl::StrFormat("fork: %s", ErrnoText(errno)));
    }
    fd_ = sv[0];
  }
  std::string ready;
  if (!Receive(&ready)) return;
  WireReader r(ready);
  uint8_t kind = 0, created = 0;
  if (!r.U8(&kind) || kind != kReady || !r.U8(&created)) {
    return Broken("the plug-in's child process answered out of step");
  }
  if (created == 0) return Broken("the plug-in's create() returned NULL");
  if (!TakeAllocations(r)) Broken("the plug-in's child process answered out of step");
}

IsolatedTranslator::~IsolatedTranslator() {
  if (fd_ >= 0) close(fd_);
  if (pid_ > 0 && !reaped_) {
    // Killed rather than asked to leave: a child that shares a socket with a
    // sibling forked at the same moment would never see end of file.
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool IsolatedTranslator::Receive(std::string* frame) const {
  const ChildWait w =
      WaitForFrame(fd_, pid_, limits_.cpu_seconds, limits_.wall_seconds, frame);
  switch (w.outcome) {
    case ChildWait::Outcome::kFrame:
      return true;
    case ChildWait::Outcome::kExited:
      reaped_ = true;  // Die() must not wait for it again
      Die(DeathOf(w.status));
      return false;
    case ChildWait::Outcome::kHang: {
      TranslatorDeath d;
      d.kind = TranslatorDeath::Kind::kHang;
      d.detail = w.detail;
      Die(d);
      return false;
    }
    case ChildWait::Outcome::kGone:
      break;
  }
  Die(std::nullopt);
  return false;
}

void IsolatedTranslator::Die(std::optional<TranslatorDeath> known) const {
  TranslatorDeath d;
  if (known) {
    d = *known;
  }
  if (pid_ > 0 && !reaped_) {
    reaped_ = true;
    if (known && known->kind == TranslatorDeath::Kind::kHang) kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    if (!known) d = DeathOf(status);
  }
  d.last_log.assign(log_.begin(), log_.end());
  death_ = d;
}

std::optional<std::string> IsolatedTranslator::Call(const std::string& call) const {
  if (death_.has_value()) return std::nullopt;
  if (!SendFrame(fd_, call)) {
    Die(std::nullopt);
    return std::nullopt;
  }
  std::string frame;
  while (Receive(&frame)) {
    WireReader r(frame);
    uint8_t kind = 0;
    r.U8(&kind);
    if (kind == kReturn) return frame.substr(1);  // the allocations are read by Finish()
    if (kind == kLog) {
      std::string line;
      r.Str(&line);
      log_.push_back(line);
      if (log_.size() > kLogLinesKept) log_.pop_front();
      continue;
    }
    if (kind == kWrite) {
      IotlbMsg msg;
      r.U32(&msg.version);
      r.U32(&msg.asid);
      r.U64(&msg.iova);
      r.U64(&msg.size);
      r.U64(&msg.uaddr);
      r.U8(&msg.perm);
      r.U8(&msg.type);
      if (!r.ok()) break;
      WriteResult result = channel_->Write(msg);
      WireWriter w;
      w.U8(kWriteResult).I64(result.err).I64(result.handler_err);
      if (!SendFrame(fd_, w.bytes())) break;
      continue;
    }
    break;  // a frame this parent does not know: treat the child as broken
  }
  if (!death_.has_value()) {
    kill(pid_, SIGKILL);
    Die(std::nullopt);
  }
  return std::nullopt;
}

int IsolatedTranslator::SimpleCall(const std::string& call) const {
  std::optional<std::string> ret = Call(call);
  if (!ret) return EIO;
  WireReader r(*ret);
  int64_t rc = EIO;
  r.I64(&rc);
  TakeAllocations(r);
  return static_cast<int>(rc);
}

void IsolatedTranslator::ListenerBegin() { SimpleCall(CallFrame(kListenerBegin).bytes()); }
void IsolatedTranslator::ListenerCommit() { SimpleCall(CallFrame(kListenerCommit).bytes()); }

int IsolatedTranslator::RegionAdd(const GuestSection& section) {
  WireWriter w = CallFrame(kRegionAdd);
  PutSection(w, section);
  return SimpleCall(w.bytes());
}

int IsolatedTranslator::RegionDel(const GuestSection& section) {
  WireWriter w = CallFrame(kRegionDel);
  PutSection(w, section);
  return SimpleCall(w.bytes());
}

int IsolatedTranslator::MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) {
  WireWriter w = CallFrame(kMapHostBuffer);
  w.U64(hva).U64(size).U8(perm).U32(asid);
  return SimpleCall(w.bytes());
}

int IsolatedTranslator::UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) {
  WireWriter w = CallFrame(kUnmapHostBuffer);
  w.U64(hva).U64(size).U32(asid);
  return SimpleCall(w.bytes());
}

int IsolatedTranslator::TranslateBuffer(const std::vector<Iovec>& iovecs,
                                        std::vector<uint64_t>* iovas) {
  WireWriter w = CallFrame(kTranslateBuffer);
  w.U32(static_cast<uint32_t>(iovecs.size()));
  for (const Iovec& v : iovecs) {
    w.U64(v.gpa).U64(v.hva).U64(v.len).U8(v.has_gpa ? 1 : 0).U8(v.device_writes ? 1 : 0);
  }
  iovas->clear();
  std::optional<std::string> ret = Call(w.bytes());
  if (!ret) return EIO;
  WireReader r(*ret);
  int64_t rc = EIO;
  uint32_t n = 0;
  r.I64(&rc);
  r.U32(&n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    uint64_t iova = 0;
    if (r.U64(&iova)) iovas->push_back(iova);
  }
  TakeAllocations(r);
  return static_cast<int>(rc);
}

std::vector<IovaAllocation> IsolatedTranslator::Allocations() const { return allocations_; }

bool IsolatedTranslator::TakeAllocations(WireReader& r) const {
  uint8_t changed = 0;
  if (!r.U8(&changed)) return false;
  if (changed == 0) return true;
  uint32_t n = 0;
  if (!r.U32(&n)) return false;
  std::vector<IovaAllocation> now;
  for (uint32_t i = 0; i < n; ++i) {
    IovaAllocation a;
    if (!r.U64(&a.iova) || !r.U64(&a.len)) return false;
    now.push_back(a);
  }
  allocations_ = std::move(now);
  return true;
}

void IsolatedTranslator::SetShadowData(bool enabled) {
  WireWriter w = CallFrame(kSetShadowData);
  w.U8(enabled ? 1 : 0);
  SimpleCall(w.bytes());
}

int IsolatedTranslator::DeviceReset() { return SimpleCall(CallFrame(kDeviceReset).bytes()); }

int IsolatedTranslator::IommuMap(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) {
  WireWriter w = CallFrame(kIommuMap);
  w.U64(giova).U64(size).U64(hva).U8(perm);
  return SimpleCall(w.bytes());
}

int IsolatedTranslator::IommuUnmap(uint64_t giova, uint64_t last) {
  WireWriter w = CallFrame(kIommuUnmap);
  w.U64(giova).U64(last);
  return SimpleCall(w.bytes());
}

}  // namespace iovacheck
