#include "traces/qemu_log_import.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "model/errno_text.h"
#include "model/host_buffers.h"
#include "traces/compact_event_codec.h"  // kTraceFormatVersion
#include "traces/qemu_log_line.h"

namespace iovacheck {
namespace {

using qemu_log::Kind;
using qemu_log::MessageLine;
using qemu_log::RangeLine;
using qemu_log::RegionLine;

constexpr uint64_t kPageSize = 4096;

// ---------------------------------------------------------------------------
// The importer: lines in, trace events out (the inference rules are in the
// header comment).

class Importer {
 public:
  Importer(const std::string& path, const ImportOptions& options, ImportStats* stats,
           const ImportedEventSink& sink)
      : path_(path), options_(options), stats_(*stats), sink_(sink) {}

  absl::Status Line(uint64_t number, absl::string_view text, bool truncated);
  // The header, inferred from the whole log; every event has gone to the
  // sink by then.
  absl::StatusOr<trace::Header> Finish();
  // The first error the sink returned.
  const absl::Status& sink_status() const { return sink_status_; }

 private:
  // A known event line that cannot be used: a warning and skipped, or fatal.
  absl::Status Reject(absl::string_view message);
  void Warn(absl::string_view message);
  std::string Where() const { return absl::StrFormat("%s:%u: ", path_, line_); }

  absl::Status OnRegion(const absl::StatusOr<RegionLine>& r, bool add);
  absl::Status OnMessage(absl::string_view name, const absl::StatusOr<MessageLine>& m,
                         Kind kind);
  absl::Status OnHostMap(const trace::IotlbMessage& msg);
  absl::Status OnHostUnmap(const trace::IotlbMessage& msg);
  absl::Status OnRange(const absl::StatusOr<RangeLine>& r);

  int Emit(trace::Event event);
  void Attach(int index, const trace::IotlbMessage& msg);
  void OpenTransaction();
  void CloseTransaction(std::optional<trace::IotlbMessage> batch_end);
  void NoteDevice(const MessageLine& m);

  const std::string path_;
  const ImportOptions options_;
  ImportStats& stats_;
  uint64_t line_ = 0;
  // Only the latest event can still take messages (a region event's come
  // after it; host events close the transaction first): it is held here,
  // and every earlier one has gone to the sink. Memory stays flat.
  const ImportedEventSink& sink_;
  absl::Status sink_status_;
  std::optional<trace::Event> last_;
  int emitted_ = 0;

  // The open listener transaction.
  bool in_txn_ = false;
  bool saw_batch_ = false;
  int target_ = -1;             // where its messages go: latest region event, or the begin
  uint32_t target_type_ = 0;    // the target's own message type; 0 for the begin
  bool target_took_own_ = false;
  uint32_t orphan_type_ = 0;    // a skipped region event's own message, to drop too
  uint64_t orphan_line_ = 0;

  std::map<uint64_t, trace::Section> sections_;  // live, by gpa
  std::map<std::pair<uint32_t, uint64_t>, trace::HostBuffer> host_;  // by (asid, iova)
  // The same buffers by HVA, under the reference model's own rules (page
  // aligned, not wrapping, not overlapping): a map the model would refuse
  // is refused here, so that every trace imported replays.
  HostBuffers host_memory_{kPageSize};

  // For the header.
  std::optional<RangeLine> range_;
  bool any_v2_ = false;
  bool any_batch_ = false;
  uint32_t max_asid_ = 0;
  std::optional<int32_t> fd_;
  bool warned_fds_ = false;
};

absl::Status Importer::Reject(absl::string_view message) {
  if (options_.strict) return absl::InvalidArgumentError(Where() + std::string(message));
  ++stats_.malformed;
  Warn(message);
  return absl::OkStatus();
}

void Importer::Warn(absl::string_view message) {
  stats_.warnings.push_back(Where() + std::string(message));
}

absl::Status Importer::Line(uint64_t number, absl::string_view text, bool truncated) {
  line_ = number;
  ++stats_.lines;
  // A UTF-8 byte-order mark (an editor's, or a Windows tool's) is not part
  // of the first line's text.
  if (number == 1) absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  const qemu_log::Line l = qemu_log::Classify(text);
  if (l.kind == Kind::kOther) {
    ++stats_.ignored;
    return absl::OkStatus();
  }
  if (l.kind == Kind::kUnaligned) {
    ++stats_.unaligned;
    return absl::OkStatus();
  }
  // QEMU never writes a NUL: a known event line holding one is damaged,
  // whatever its fields would parse to.
  const absl::Status too_long =
      truncated ? absl::InvalidArgumentError(absl::StrFormat("line longer than %u bytes",
                                                             qemu_log::kMaxLineBytes))
                : absl::InvalidArgumentError("a NUL byte in the line");
  truncated = truncated || absl::StrContains(text, absl::string_view("\0", 1));
  switch (l.kind) {
    case Kind::kRegionAdd:
    case Kind::kRegionDel: {
      const bool add = l.kind == Kind::kRegionAdd;
      return OnRegion(truncated ? too_long : qemu_log::ParseRegion(l.args, add), add);
    }
    case Kind::kIovaRange:
      return OnRange(truncated ? too_long : qemu_log::ParseRange(l.args));
    default:
      return OnMessage(l.name,
                       truncated ? too_long : qemu_log::ParseMessage(l.args, l.kind),
                       l.kind);
  }
}

int Importer::Emit(trace::Event event) {
  if (last_ && sink_status_.ok()) sink_status_ = sink_(std::move(*last_));
  last_ = std::move(event);
  return emitted_++;
}

void Importer::Attach(int index, const trace::IotlbMessage& msg) {
  // By construction the only event messages are attached to is the latest.
  if (index != emitted_ - 1 || !last_) {
    if (sink_status_.ok()) {
      sink_status_ = absl::InternalError(Where() + "a message for an event already written");
    }
    return;
  }
  trace::Event* e = &*last_;
  *e->add_sent() = msg;
  e->set_has_outputs(true);
  ++stats_.messages;
  if (msg.version() == kMsgV2) {
    any_v2_ = true;
    max_asid_ = std::max(max_asid_, msg.asid());
  }
  if (msg.type() == kIotlbBatchBegin) any_batch_ = true;
}

void Importer::OpenTransaction() {
  trace::Event begin;
  begin.mutable_listener_begin();
  target_ = Emit(std::move(begin));
  in_txn_ = true;
  saw_batch_ = false;
  target_type_ = 0;
  target_took_own_ = false;
  orphan_type_ = 0;
}

void Importer::CloseTransaction(std::optional<trace::IotlbMessage> batch_end) {
  if (!in_txn_) return;
  if (saw_batch_ && !batch_end) {
    Warn("listener transaction closed without vhost_vdpa_listener_commit: the batch "
         "QEMU opened stays open on the device");
  }
  trace::Event commit;
  commit.mutable_listener_commit();
  const int index = Emit(std::move(commit));
  if (batch_end) Attach(index, *batch_end);
  in_txn_ = false;
  saw_batch_ = false;
  target_ = -1;
  target_type_ = 0;
  orphan_type_ = 0;
}

absl::Status Importer::OnRegion(const absl::StatusOr<RegionLine>& r, bool add) {
  // QEMU was in a listener transaction whether or not the line is usable:
  // without a batch, each region event is a transaction of its own.
  if (in_txn_ && !saw_batch_) CloseTransaction(std::nullopt);
  if (!in_txn_) OpenTransaction();

  const char* name = add ? "vhost_vdpa_listener_region_add" : "vhost_vdpa_listener_region_del";
  auto skip = [&](absl::string_view why) {
    // Its own message, when it comes, belongs to nothing in the trace.
    orphan_type_ = add ? kIotlbUpdate : kIotlbInvalidate;
    orphan_line_ = line_;
    return Reject(absl::StrFormat("%s: %s", name, why));
  };
  if (!r.ok()) return skip(r.status().message());

  trace::Event event;
  if (add) {
    trace::Section s;
    s.set_gpa(r->iova);
    s.set_size(r->llend - r->iova);
    s.set_hva(r->vaddr);
    s.set_readonly(r->readonly);
    s.set_name(absl::StrFormat("region@0x%x", r->iova));
    // GPA ranges of live sections never overlap.
    auto next = sections_.lower_bound(s.gpa());
    const trace::Section* clash = nullptr;
    if (next != sections_.end() && next->first < r->llend) clash = &next->second;
    if (next != sections_.begin()) {
      const trace::Section& prev = std::prev(next)->second;
      if (prev.gpa() + prev.size() > s.gpa()) clash = &prev;
    }
    if (clash != nullptr) {
      return skip(absl::StrFormat(
          "gpa [0x%x, 0x%x) overlaps the live section added at gpa [0x%x, 0x%x)",
          s.gpa(), r->llend, clash->gpa(), clash->gpa() + clash->size()));
    }
    sections_[s.gpa()] = s;
    *event.mutable_region_add()->mutable_section() = s;
  } else {
    auto it = sections_.find(r->iova);
    if (it == sections_.end()) {
      return skip(absl::StrFormat("no live section was added at gpa 0x%x", r->iova));
    }
    const trace::Section& s = it->second;
    if (s.gpa() + s.size() - 1 != r->llend) {
      return skip(absl::StrFormat(
          "llend 0x%x (inclusive) does not end the section added at gpa [0x%x, 0x%x)",
          r->llend, s.gpa(), s.gpa() + s.size()));
    }
    *event.mutable_region_del()->mutable_section() = s;
    sections_.erase(it);
  }
  target_ = Emit(std::move(event));
  target_type_ = add ? kIotlbUpdate : kIotlbInvalidate;
  target_took_own_ = false;
  orphan_type_ = 0;
  return absl::OkStatus();
}

void Importer::NoteDevice(const MessageLine& m) {
  if (!fd_) fd_ = m.fd;
  if (*fd_ != m.fd && !warned_fds_) {
    warned_fds_ = true;
    Warn(absl::StrFormat(
        "a second vhost-vdpa fd (%d after %d): the trace models one device, and the "
        "events of both are merged",
        m.fd, *fd_));
  }
}

absl::Status Importer::OnMessage(absl::string_view name,
                                 const absl::StatusOr<MessageLine>& m, Kind kind) {
  if (!m.ok()) return Reject(absl::StrFormat("%s: %s", name, m.status().message()));
  NoteDevice(*m);
  const trace::IotlbMessage& msg = m->msg;

  if (kind == Kind::kBeginBatch) {
    if (!in_txn_) {
      return Reject(absl::StrFormat("%s: no listener region event before it", name));
    }
    saw_batch_ = true;
    Attach(target_, msg);
    return absl::OkStatus();
  }
  if (kind == Kind::kCommit) {
    if (!in_txn_) {
      return Reject(absl::StrFormat("%s: outside a listener transaction", name));
    }
    CloseTransaction(msg);
    return absl::OkStatus();
  }
  if (in_txn_ && orphan_type_ == msg.type()) {
    orphan_type_ = 0;
    return Reject(absl::StrFormat("%s: belongs to the region event skipped at line %u",
                                  name, orphan_line_));
  }
  if (in_txn_ && target_type_ == msg.type() && !target_took_own_) {
    target_took_own_ = true;
    Attach(target_, msg);
    return absl::OkStatus();
  }
  // Not a listener message: host-only memory, outside any transaction.
  CloseTransaction(std::nullopt);
  return kind == Kind::kDmaMap ? OnHostMap(msg) : OnHostUnmap(msg);
}

absl::Status Importer::OnHostMap(const trace::IotlbMessage& msg) {
  const uint32_t asid = msg.version() == kMsgV2 ? msg.asid() : 0;
  if (msg.size() == 0) {
    return Reject("vhost_vdpa_dma_map: host-only map of size 0");
  }
  if (msg.iova() + (msg.size() - 1) < msg.iova()) {
    return Reject(absl::StrFormat(
        "vhost_vdpa_dma_map: iova 0x%x size 0x%x wraps past 2^64", msg.iova(), msg.size()));
  }
  const auto key = std::make_pair(asid, msg.iova());
  if (host_.count(key) != 0) {
    return Reject(absl::StrFormat(
        "vhost_vdpa_dma_map: asid %u iova 0x%x is already mapped to a host buffer", asid,
        msg.iova()));
  }
  trace::HostBuffer b;
  b.set_hva(msg.uaddr());
  b.set_size(msg.size());
  b.set_perm(msg.perm());
  b.set_asid(asid);
  b.set_name(absl::StrFormat("host@0x%x", msg.uaddr()));
  if (absl::Status s = host_memory_.Add(HostBuffer{b.hva(), b.size(),
                                                   static_cast<uint8_t>(b.perm() & 0xff),
                                                   asid, b.name()});
      !s.ok()) {
    return Reject(absl::StrFormat("vhost_vdpa_dma_map: %s", s.message()));
  }
  host_[key] = b;
  trace::Event event;
  *event.mutable_host_map()->mutable_buffer() = b;
  Attach(Emit(std::move(event)), msg);
  return absl::OkStatus();
}

absl::Status Importer::OnHostUnmap(const trace::IotlbMessage& msg) {
  const uint32_t asid = msg.version() == kMsgV2 ? msg.asid() : 0;
  auto it = host_.find(std::make_pair(asid, msg.iova()));
  if (it == host_.end()) {
    return Reject(absl::StrFormat(
        "vhost_vdpa_dma_unmap: asid %u iova 0x%x: no region event before it and no "
        "host buffer mapped there",
        asid, msg.iova()));
  }
  trace::Event event;
  trace::HostUnmap* u = event.mutable_host_unmap();
  u->set_hva(it->second.hva());
  u->set_size(it->second.size());
  u->set_asid(asid);
  host_memory_.Remove(it->second.hva(), it->second.size()).IgnoreError();  // added with it
  host_.erase(it);
  Attach(Emit(std::move(event)), msg);
  return absl::OkStatus();
}

absl::Status Importer::OnRange(const absl::StatusOr<RangeLine>& r) {
  if (!r.ok()) {
    return Reject(absl::StrFormat("vhost_vdpa_get_iova_range: %s", r.status().message()));
  }
  if (range_ && (range_->first != r->first || range_->last != r->last)) {
    Warn(absl::StrFormat(
        "IOVA range [0x%x, 0x%x] replaces [0x%x, 0x%x] given before (several devices?)",
        r->first, r->last, range_->first, range_->last));
  }
  range_ = *r;
  return absl::OkStatus();
}

absl::StatusOr<trace::Header> Importer::Finish() {
  // line_ is the last line now: where the log ended.
  CloseTransaction(std::nullopt);
  if (last_ && sink_status_.ok()) sink_status_ = sink_(std::move(*last_));
  last_.reset();
  if (!sink_status_.ok()) return sink_status_;
  if (emitted_ == 0) {
    Warn("no vhost_vdpa listener or DMA events: was QEMU run with -trace 'vhost_vdpa_*'?");
  }
  trace::Header header;
  trace::Header* h = &header;
  h->set_format_version(kTraceFormatVersion);
  h->mutable_producer()->set_tool("iovacheck import-qemu");
  h->mutable_producer()->set_translator("qemu");
  h->mutable_producer()->set_source(path_);
  trace::DeviceConfig* d = h->mutable_device();
  d->set_iova_first(range_ ? range_->first : 0);
  d->set_iova_last(range_ ? range_->last : ~uint64_t{0});
  d->set_page_size(kPageSize);
  d->set_iotlb_msg_v2(any_v2_);
  d->set_iotlb_batch(any_batch_);
  d->set_iotlb_asid(max_asid_ > 0);
  d->set_kind(trace::DeviceConfig::DMA_MAP);
  d->set_num_address_spaces(max_asid_ + 1);
  stats_.events = static_cast<uint64_t>(emitted_);
  return header;
}

}  // namespace

absl::StatusOr<trace::Trace> ImportQemuLog(const std::string& path,
                                           const ImportOptions& options,
                                           ImportStats* stats) {
  trace::Trace whole;
  absl::StatusOr<trace::Header> header =
      ImportQemuLogStreaming(path, options, stats, [&whole](trace::Event event) {
        *whole.add_events() = std::move(event);
        return absl::OkStatus();
      });
  if (!header.ok()) return header.status();
  *whole.mutable_header() = *std::move(header);
  return whole;
}

absl::StatusOr<trace::Header> ImportQemuLogStreaming(const std::string& path,
                                                     const ImportOptions& options,
                                                     ImportStats* stats,
                                                     const ImportedEventSink& sink) {
  ImportStats local;
  ImportStats& out = stats != nullptr ? *stats : local;
  out = ImportStats();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot read: %s", path, ErrnoText(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot read: %s", path, ErrnoText(errno)));
  }
  Importer importer(path, options, &out, sink);
  qemu_log::LineReader reader(&in);
  std::string line;
  bool truncated = false;
  for (uint64_t number = 1; reader.Next(&line, &truncated); ++number) {
    if (absl::Status s = importer.Line(number, line, truncated); !s.ok()) return s;
    if (!importer.sink_status().ok()) return importer.sink_status();
  }
  return importer.Finish();
}

}  // namespace iovacheck
