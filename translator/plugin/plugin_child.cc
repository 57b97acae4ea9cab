#include "translator/plugin/plugin_child.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "translator/plugin/c_table_translator.h"
#include "translator/plugin/plugin_protocol.h"
#include "translator/plugin/wire.h"

namespace iovacheck {
namespace {

using namespace plugin_protocol;  // NOLINT: the frame and op names

// The parent went away: nothing is left to answer to.
[[noreturn]] void Orphaned() { _exit(0); }

// The device, as seen from the child: every write is a round trip to the
// parent, which holds the device and records what was sent.
class ParentChannel : public IotlbChannel {
 public:
  explicit ParentChannel(int fd) : fd_(fd) {}
  WriteResult Write(const IotlbMsg& msg) override {
    WireWriter w;
    w.U8(kWrite).U32(msg.version).U32(msg.asid).U64(msg.iova).U64(msg.size).U64(msg.uaddr)
        .U8(msg.perm).U8(msg.type);
    std::string reply;
    if (!SendFrame(fd_, w.bytes()) || !ReceiveFrame(fd_, &reply)) Orphaned();
    WireReader r(reply);
    uint8_t kind = 0;
    int64_t err = 0, handler_err = 0;
    if (!r.U8(&kind) || kind != kWriteResult || !r.I64(&err) || !r.I64(&handler_err)) {
      Orphaned();
    }
    return WriteResult{static_cast<int>(err), static_cast<int>(handler_err)};
  }

 private:
  int fd_;
};

GuestSection ReadSection(WireReader& r) {
  GuestSection s;
  uint8_t readonly = 0, ram = 0;
  r.U64(&s.gpa);
  r.U64(&s.size);
  r.U64(&s.hva);
  r.U8(&readonly);
  r.U8(&ram);
  s.readonly = readonly != 0;
  s.ram = ram != 0;
  return s;
}

// Runs one call; fills `out` with the return frame.
void Dispatch(Translator& t, uint8_t op, WireReader& r, WireWriter& out) {
  out.U8(kReturn);
  switch (op) {
    case kListenerBegin:
      t.ListenerBegin();
      out.I64(0);
      return;
    case kListenerCommit:
      t.ListenerCommit();
      out.I64(0);
      return;
    case kRegionAdd:
      out.I64(t.RegionAdd(ReadSection(r)));
      return;
    case kRegionDel:
      out.I64(t.RegionDel(ReadSection(r)));
      return;
    case kMapHostBuffer: {
      uint64_t hva = 0, size = 0;
      uint8_t perm = 0;
      uint32_t asid = 0;
      r.U64(&hva);
      r.U64(&size);
      r.U8(&perm);
      r.U32(&asid);
      out.I64(t.MapHostBuffer(hva, size, perm, asid));
      return;
    }
    case kUnmapHostBuffer: {
      uint64_t hva = 0, size = 0;
      uint32_t asid = 0;
      r.U64(&hva);
      r.U64(&size);
      r.U32(&asid);
      out.I64(t.UnmapHostBuffer(hva, size, asid));
      return;
    }
    case kTranslateBuffer: {
      uint32_t n = 0;
      r.U32(&n);
      std::vector<Iovec> iovecs;
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        Iovec v;
        uint8_t has_gpa = 0, writes = 0;
        r.U64(&v.gpa);
        r.U64(&v.hva);
        r.U64(&v.len);
        r.U8(&has_gpa);
        r.U8(&writes);
        v.has_gpa = has_gpa != 0;
        v.device_writes = writes != 0;
        iovecs.push_back(v);
      }
      std::vector<uint64_t> iovas;
      int rc = t.TranslateBuffer(iovecs, &iovas);
      out.I64(rc).U32(static_cast<uint32_t>(iovas.size()));
      for (uint64_t iova : iovas) out.U64(iova);
      return;
    }
    case kSetShadowData: {
      uint8_t on = 0;
      r.U8(&on);
      t.SetShadowData(on != 0);
      out.I64(0);
      return;
    }
    case kDeviceReset:
      out.I64(t.DeviceReset());
      return;
    case kIommuMap: {
      uint64_t giova = 0, size = 0, hva = 0;
      uint8_t perm = 0;
      r.U64(&giova);
      r.U64(&size);
      r.U64(&hva);
      r.U8(&perm);
      out.I64(t.IommuMap(giova, size, hva, perm));
      return;
    }
    case kIommuUnmap: {
      uint64_t giova = 0, last = 0;
      r.U64(&giova);
      r.U64(&last);
      out.I64(t.IommuUnmap(giova, last));
      return;
    }
  }
  // An op this child does not know: the two ends are out of step.
  Orphaned();
}

// Appends the allocations if they changed since `last_sent`.
void PutAllocationsIfChanged(const Translator& t, std::vector<IovaAllocation>& last_sent,
                             WireWriter& out) {
  std::vector<IovaAllocation> now = t.Allocations();
  bool same = now.size() == last_sent.size();
  for (size_t i = 0; same && i < now.size(); ++i) {
    same = now[i].iova == last_sent[i].iova && now[i].len == last_sent[i].len;
  }
  out.U8(same ? 0 : 1);
  if (same) return;
  out.U32(static_cast<uint32_t>(now.size()));
  for (const IovaAllocation& a : now) out.U64(a.iova).U64(a.len);
  last_sent = std::move(now);
}

}  // namespace

void RunPluginChild(int fd, const iovacheck_plugin* plugin, const DeviceConfig& config) {
  ParentChannel channel(fd);
  auto log = [fd](const std::string& line) {
    WireWriter w;
    w.U8(kLog).Str(line);
    if (!SendFrame(fd, w.bytes())) Orphaned();
  };
  std::unique_ptr<CTableTranslator> translator =
      CTableTranslator::Create(plugin, config, &channel, log);
  WireWriter ready;
  ready.U8(kReady).U8(translator != nullptr ? 1 : 0);
  std::vector<IovaAllocation> last_sent;
  if (translator != nullptr) PutAllocationsIfChanged(*translator, last_sent, ready);
  if (!SendFrame(fd, ready.bytes()) || translator == nullptr) Orphaned();

  std::string frame;
  while (ReceiveFrame(fd, &frame)) {
    WireReader r(frame);
    uint8_t kind = 0, op = 0;
    if (!r.U8(&kind) || kind != kCall || !r.U8(&op)) Orphaned();
    WireWriter out;
    Dispatch(*translator, op, r, out);
    PutAllocationsIfChanged(*translator, last_sent, out);
    if (!r.ok() || !SendFrame(fd, out.bytes())) Orphaned();
  }
  // The parent closed its end: the run is over. The plug-in's destroy() is
  // not called; the process's exit releases everything at once.
  Orphaned();
}

}  // namespace iovacheck
