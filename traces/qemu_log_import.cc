#include "traces/qemu_log_import.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace iovacheck {
namespace {

// VHOST_IOTLB_* types and VHOST_IOTLB_MSG* versions as the log prints them.
constexpr uint32_t kUpdate = 2;
constexpr uint32_t kInvalidate = 3;
constexpr uint32_t kBatchBegin = 5;
constexpr uint32_t kBatchEnd = 6;
constexpr uint32_t kMsgV1 = 1;
constexpr uint32_t kMsgV2 = 2;
constexpr uint32_t kFormatVersion = 1;  // trace.proto's
constexpr uint64_t kPageSize = 4096;

// Real trace lines are a few hundred bytes; anything far longer is not one,
// and keeping it whole would let a file without newlines exhaust memory.
constexpr size_t kMaxLineBytes = 64 * 1024;

// ---------------------------------------------------------------------------
// Lines: read with a bound on what is kept of each.

class LineReader {
 public:
  explicit LineReader(std::istream* in) : in_(in->rdbuf()) {}

  // The next line without its end of line; false at the end of the file.
  // *truncated: the line was longer than kMaxLineBytes (the rest is dropped).
  bool Next(std::string* line, bool* truncated) {
    line->clear();
    *truncated = false;
    if (in_ == nullptr) return false;
    bool any = false;
    for (;;) {
      const int c = in_->sbumpc();
      if (c == std::char_traits<char>::eof()) break;
      any = true;
      if (c == '\n') break;
      if (line->size() < kMaxLineBytes) {
        line->push_back(static_cast<char>(c));
      } else {
        *truncated = true;
      }
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return any;
  }

 private:
  std::streambuf* in_;
};

// ---------------------------------------------------------------------------
// Prefixes: none, "TID@SEC.USEC:" glued to the name, or an ISO-8601 UTC
// timestamp and a space, optionally followed by "(PID) ".

// Consumes one or more decimal digits.
bool EatDigits(absl::string_view* s) {
  size_t n = 0;
  while (n < s->size() && absl::ascii_isdigit((*s)[n])) ++n;
  if (n == 0) return false;
  s->remove_prefix(n);
  return true;
}

bool EatChar(absl::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

// "TID@SEC.USEC:"
bool StripTidPrefix(absl::string_view* line) {
  absl::string_view s = *line;
  if (!EatDigits(&s) || !EatChar(&s, '@') || !EatDigits(&s) || !EatChar(&s, '.') ||
      !EatDigits(&s) || !EatChar(&s, ':')) {
    return false;
  }
  *line = s;
  return true;
}

// "2025-07-21T18:43:28.089797Z " then optionally "(PID) ".
bool StripIsoPrefix(absl::string_view* line) {
  absl::string_view s = *line;
  // Fixed layout up to the seconds: digits where the mask has 'd'.
  constexpr absl::string_view kMask = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < kMask.size()) return false;
  for (size_t i = 0; i < kMask.size(); ++i) {
    const bool ok = kMask[i] == 'd' ? absl::ascii_isdigit(s[i]) : s[i] == kMask[i];
    if (!ok) return false;
  }
  s.remove_prefix(kMask.size());
  if (EatChar(&s, '.') && !EatDigits(&s)) return false;
  if (!EatChar(&s, 'Z') || !EatChar(&s, ' ')) return false;
  absl::string_view pid = s;
  if (EatChar(&pid, '(') && EatDigits(&pid) && EatChar(&pid, ')') && EatChar(&pid, ' ')) {
    s = pid;
  }
  *line = s;
  return true;
}

absl::string_view StripPrefix(absl::string_view line) {
  if (!StripIsoPrefix(&line)) StripTidPrefix(&line);
  return line;
}

// ---------------------------------------------------------------------------
// Events the importer reads.

enum class Kind {
  kOther,  // not ours: ignored
  kRegionAdd,
  kRegionDel,
  kUnaligned,
  kBeginBatch,
  kCommit,
  kDmaMap,
  kDmaUnmap,
  kIovaRange,
};

Kind KindOf(absl::string_view name) {
  static const auto* const kKinds = new std::map<absl::string_view, Kind>{
      {"vhost_vdpa_listener_region_add", Kind::kRegionAdd},
      {"vhost_vdpa_listener_region_del", Kind::kRegionDel},
      {"vhost_vdpa_listener_region_add_unaligned", Kind::kUnaligned},
      {"vhost_vdpa_listener_region_del_unaligned", Kind::kUnaligned},
      {"vhost_vdpa_listener_begin_batch", Kind::kBeginBatch},
      {"vhost_vdpa_listener_commit", Kind::kCommit},
      {"vhost_vdpa_dma_map", Kind::kDmaMap},
      {"vhost_vdpa_dma_unmap", Kind::kDmaUnmap},
      {"vhost_vdpa_get_iova_range", Kind::kIovaRange},
  };
  auto it = kKinds->find(name);
  return it == kKinds->end() ? Kind::kOther : it->second;
}

// ---------------------------------------------------------------------------
// Fields: "key: value", "key:value" and "key value" pairs, as QEMU's format
// strings mix all three ("vdpa: %p iova 0x%x", "vdpa_shared:%p fd: %d").

class Fields {
 public:
  // Errors: a key without a value, an empty key, a key given twice.
  absl::Status Parse(absl::string_view args) {
    std::vector<absl::string_view> tokens =
        absl::StrSplit(args, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    for (size_t i = 0; i < tokens.size();) {
      absl::string_view token = tokens[i++];
      const size_t colon = token.find(':');
      absl::string_view key = token.substr(0, colon);
      absl::string_view value;
      if (colon != absl::string_view::npos && colon + 1 < token.size()) {
        value = token.substr(colon + 1);  // "key:value"
      } else if (i < tokens.size()) {
        value = tokens[i++];  // "key: value" or "key value"
      } else {
        return absl::InvalidArgumentError(
            absl::StrFormat("field '%s' has no value", key));
      }
      if (key.empty()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("'%s' is not a field", token));
      }
      if (Find(key) != nullptr) {
        return absl::InvalidArgumentError(absl::StrFormat("field '%s' given twice", key));
      }
      fields_.emplace_back(key, value);
    }
    return absl::OkStatus();
  }

  const absl::string_view* Find(absl::string_view key) const {
    for (const auto& [k, v] : fields_) {
      if (k == key) return &v;
    }
    return nullptr;
  }

  absl::StatusOr<absl::string_view> Get(absl::string_view key) const {
    const absl::string_view* v = Find(key);
    if (v == nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat("no field '%s'", key));
    }
    return *v;
  }

 private:
  std::vector<std::pair<absl::string_view, absl::string_view>> fields_;
};

absl::Status BadValue(absl::string_view key, absl::string_view value,
                      absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrFormat("field '%s' is not %s: '%s'", key, what, value));
}

// "0x" and 1 to 16 hex digits (QEMU prints 0x%PRIx64).
absl::StatusOr<uint64_t> Hex(const Fields& f, absl::string_view key) {
  absl::StatusOr<absl::string_view> v = f.Get(key);
  if (!v.ok()) return v.status();
  absl::string_view digits = *v;
  uint64_t out = 0;
  if (!absl::ConsumePrefix(&digits, "0x") || digits.empty() || digits.size() > 16 ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isxdigit) ||
      !absl::SimpleHexAtoi(digits, &out)) {
    return BadValue(key, *v, "a 64-bit hex number");
  }
  return out;
}

// %p: "0x..." or "(nil)".
absl::StatusOr<uint64_t> Pointer(const Fields& f, absl::string_view key) {
  absl::StatusOr<absl::string_view> v = f.Get(key);
  if (!v.ok()) return v.status();
  if (*v == "(nil)") return uint64_t{0};
  absl::StatusOr<uint64_t> out = Hex(f, key);
  if (!out.ok()) return BadValue(key, *v, "a pointer");
  return out;
}

// Unsigned decimal up to `max`.
absl::StatusOr<uint64_t> Decimal(const Fields& f, absl::string_view key, uint64_t max) {
  absl::StatusOr<absl::string_view> v = f.Get(key);
  if (!v.ok()) return v.status();
  uint64_t out = 0;
  if (v->empty() || v->size() > 20 ||
      !std::all_of(v->begin(), v->end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(*v, &out) || out > max) {
    return BadValue(key, *v, absl::StrFormat("a number up to %u", max));
  }
  return out;
}

// fd: %d (may be -1).
absl::StatusOr<int32_t> Fd(const Fields& f) {
  absl::StatusOr<absl::string_view> v = f.Get("fd");
  if (!v.ok()) return v.status();
  int32_t out = 0;
  if (!absl::SimpleAtoi(*v, &out)) return BadValue("fd", *v, "a file descriptor");
  return out;
}

// The device pointer: "vdpa_shared" in current QEMU, "vdpa" before.
absl::Status DevicePointer(const Fields& f) {
  const char* key = f.Find("vdpa_shared") != nullptr ? "vdpa_shared" : "vdpa";
  if (f.Find(key) == nullptr) {
    return absl::InvalidArgumentError("no field 'vdpa_shared' or 'vdpa'");
  }
  return Pointer(f, key).status();
}

#define IOVACHECK_ASSIGN(lhs, expr) \
  {                                 \
    auto _v = (expr);               \
    if (!_v.ok()) return _v.status(); \
    lhs = *_v;                      \
  }

struct RegionLine {
  uint64_t iova = 0;
  uint64_t llend = 0;  // add: exclusive; del: inclusive (as printed)
  uint64_t vaddr = 0;  // add only
  bool readonly = false;
};

absl::StatusOr<RegionLine> ParseRegion(const Fields& f, bool add) {
  if (absl::Status s = DevicePointer(f); !s.ok()) return s;
  RegionLine r;
  IOVACHECK_ASSIGN(r.iova, Hex(f, "iova"));
  IOVACHECK_ASSIGN(r.llend, Hex(f, "llend"));
  if (add) {
    IOVACHECK_ASSIGN(r.vaddr, Pointer(f, "vaddr"));
    uint64_t ro = 0;
    IOVACHECK_ASSIGN(ro, Decimal(f, "read-only", 1));
    r.readonly = ro != 0;
    if (r.llend <= r.iova) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "iova 0x%x llend 0x%x is an empty range (llend is exclusive)", r.iova, r.llend));
    }
  } else if (r.llend < r.iova) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "iova 0x%x llend 0x%x is an empty range (llend is inclusive)", r.iova, r.llend));
  }
  return r;
}

// dma_map, dma_unmap, begin_batch, commit: one IOTLB message each.
struct MessageLine {
  int32_t fd = 0;
  trace::IotlbMessage msg;
};

absl::StatusOr<MessageLine> ParseMessage(const Fields& f, Kind kind) {
  if (absl::Status s = DevicePointer(f); !s.ok()) return s;
  MessageLine m;
  IOVACHECK_ASSIGN(m.fd, Fd(f));
  uint64_t version = 0, type = 0;
  IOVACHECK_ASSIGN(version, Decimal(f, "msg_type", 0xffffffff));
  if (version != kMsgV1 && version != kMsgV2) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "msg_type %u is neither VHOST_IOTLB_MSG (1) nor VHOST_IOTLB_MSG_V2 (2)", version));
  }
  IOVACHECK_ASSIGN(type, Decimal(f, "type", 0xff));
  const uint32_t want = kind == Kind::kDmaMap     ? kUpdate
                        : kind == Kind::kDmaUnmap ? kInvalidate
                        : kind == Kind::kBeginBatch ? kBatchBegin
                                                    : kBatchEnd;
  if (type != want) {
    return absl::InvalidArgumentError(
        absl::StrFormat("type %u, but this event sends type %u", type, want));
  }
  trace::IotlbMessage& msg = m.msg;
  msg.set_version(static_cast<uint32_t>(version));
  msg.set_type(want);
  msg.set_answered(false);  // the log does not show what write() returned
  if (kind == Kind::kDmaMap || kind == Kind::kDmaUnmap) {
    // Old QEMU printed no asid: everything was address space 0.
    uint64_t asid = 0;
    if (f.Find("asid") != nullptr) IOVACHECK_ASSIGN(asid, Decimal(f, "asid", 0xffffffff));
    if (version == kMsgV1 && asid != 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("asid %u in a v1 message, which has no address space id", asid));
    }
    msg.set_asid(static_cast<uint32_t>(asid));
    uint64_t v = 0;
    IOVACHECK_ASSIGN(v, Hex(f, "iova"));
    msg.set_iova(v);
    IOVACHECK_ASSIGN(v, Hex(f, "size"));
    msg.set_size(v);
  }
  if (kind == Kind::kDmaMap) {
    uint64_t v = 0;
    IOVACHECK_ASSIGN(v, Hex(f, "uaddr"));
    msg.set_uaddr(v);
    IOVACHECK_ASSIGN(v, Hex(f, "perm"));
    if (v > 0xff) return BadValue("perm", *f.Find("perm"), "a byte");
    msg.set_perm(static_cast<uint32_t>(v));
  }
  return m;
}

struct RangeLine {
  uint64_t first = 0;
  uint64_t last = 0;
};

absl::StatusOr<RangeLine> ParseRange(const Fields& f) {
  if (absl::Status s = Pointer(f, "dev").status(); !s.ok()) return s;
  RangeLine r;
  IOVACHECK_ASSIGN(r.first, Hex(f, "first"));
  IOVACHECK_ASSIGN(r.last, Hex(f, "last"));
  if (r.first > r.last) {
    return absl::InvalidArgumentError(
        absl::StrFormat("first 0x%x is past last 0x%x", r.first, r.last));
  }
  return r;
}

#undef IOVACHECK_ASSIGN

// ---------------------------------------------------------------------------
// The importer: lines in, trace events out (the inference rules are in the
// header comment).

class Importer {
 public:
  Importer(const std::string& path, const ImportOptions& options, ImportStats* stats)
      : path_(path), options_(options), stats_(*stats) {}

  absl::Status Line(uint64_t number, absl::string_view text, bool truncated);
  trace::Trace Finish();

 private:
  // A known event line that cannot be used: a warning and skipped, or fatal.
  absl::Status Reject(absl::string_view message);
  void Warn(absl::string_view message);
  std::string Where() const { return absl::StrFormat("%s:%u: ", path_, line_); }

  absl::Status OnRegion(const absl::StatusOr<RegionLine>& r, bool add);
  absl::Status OnMessage(const Fields& f, Kind kind);
  absl::Status OnHostMap(const trace::IotlbMessage& msg);
  absl::Status OnHostUnmap(const trace::IotlbMessage& msg);
  absl::Status OnRange(const Fields& f);

  int Emit(trace::Event event);
  void Attach(int index, const trace::IotlbMessage& msg);
  void OpenTransaction();
  void CloseTransaction(std::optional<trace::IotlbMessage> batch_end);
  void NoteDevice(const MessageLine& m);

  const std::string path_;
  const ImportOptions options_;
  ImportStats& stats_;
  uint64_t line_ = 0;
  trace::Trace trace_;

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
  absl::string_view rest = StripPrefix(text);
  const size_t space = rest.find_first_of(" \t");
  const absl::string_view name = rest.substr(0, space);
  const absl::string_view args =
      space == absl::string_view::npos ? absl::string_view() : rest.substr(space + 1);
  const Kind kind = KindOf(name);
  if (kind == Kind::kOther) {
    ++stats_.ignored;
    return absl::OkStatus();
  }
  if (kind == Kind::kUnaligned) {
    ++stats_.unaligned;
    return absl::OkStatus();
  }
  Fields fields;
  absl::Status parsed =
      truncated ? absl::InvalidArgumentError(
                      absl::StrFormat("line longer than %u bytes", kMaxLineBytes))
                : fields.Parse(args);
  if (kind == Kind::kRegionAdd || kind == Kind::kRegionDel) {
    // Even unusable, a region line stands for a listener transaction:
    // OnRegion accounts for it.
    const bool add = kind == Kind::kRegionAdd;
    return OnRegion(parsed.ok() ? ParseRegion(fields, add) : absl::StatusOr<RegionLine>(parsed), add);
  }
  if (!parsed.ok()) return Reject(absl::StrFormat("%s: %s", name, parsed.message()));
  if (kind == Kind::kIovaRange) return OnRange(fields);
  return OnMessage(fields, kind);
}

int Importer::Emit(trace::Event event) {
  trace_.mutable_events()->Add(std::move(event));
  return trace_.events_size() - 1;
}

void Importer::Attach(int index, const trace::IotlbMessage& msg) {
  trace::Event* e = trace_.mutable_events(index);
  *e->add_sent() = msg;
  e->set_has_outputs(true);
  ++stats_.messages;
  if (msg.version() == kMsgV2) {
    any_v2_ = true;
    max_asid_ = std::max(max_asid_, msg.asid());
  }
  if (msg.type() == kBatchBegin) any_batch_ = true;
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
    orphan_type_ = add ? kUpdate : kInvalidate;
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
  target_type_ = add ? kUpdate : kInvalidate;
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

absl::Status Importer::OnMessage(const Fields& f, Kind kind) {
  absl::StatusOr<MessageLine> m = ParseMessage(f, kind);
  const char* name = kind == Kind::kDmaMap     ? "vhost_vdpa_dma_map"
                     : kind == Kind::kDmaUnmap ? "vhost_vdpa_dma_unmap"
                     : kind == Kind::kBeginBatch ? "vhost_vdpa_listener_begin_batch"
                                                 : "vhost_vdpa_listener_commit";
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
  host_.erase(it);
  Attach(Emit(std::move(event)), msg);
  return absl::OkStatus();
}

absl::Status Importer::OnRange(const Fields& f) {
  absl::StatusOr<RangeLine> r = ParseRange(f);
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

trace::Trace Importer::Finish() {
  // line_ is the last line now: where the log ended.
  CloseTransaction(std::nullopt);
  if (trace_.events_size() == 0) {
    Warn("no vhost_vdpa listener or DMA events: was QEMU run with -trace 'vhost_vdpa_*'?");
  }
  trace::Header* h = trace_.mutable_header();
  h->set_format_version(kFormatVersion);
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
  stats_.events = trace_.events_size();
  return std::move(trace_);
}

}  // namespace

absl::StatusOr<trace::Trace> ImportQemuLog(const std::string& path,
                                           const ImportOptions& options,
                                           ImportStats* stats) {
  ImportStats local;
  ImportStats& out = stats != nullptr ? *stats : local;
  out = ImportStats();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot read: %s", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot read: %s", path, std::strerror(errno)));
  }
  Importer importer(path, options, &out);
  LineReader reader(&in);
  std::string line;
  bool truncated = false;
  for (uint64_t number = 1; reader.Next(&line, &truncated); ++number) {
    if (absl::Status s = importer.Line(number, line, truncated); !s.ok()) return s;
  }
  return importer.Finish();
}

}  // namespace iovacheck
