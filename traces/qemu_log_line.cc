#include "traces/qemu_log_line.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace iovacheck {
namespace qemu_log {

bool LineReader::Refill() {
  pos_ = 0;
  end_ = in_ == nullptr ? 0 : static_cast<size_t>(in_->sgetn(buf_.get(), kBlockBytes));
  return end_ > 0;
}

bool LineReader::Next(std::string* line, bool* truncated) {
  line->clear();
  *truncated = false;
  bool any = false;
  for (;;) {
    if (pos_ == end_ && !Refill()) break;
    any = true;
    const char* start = buf_.get() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const size_t n = nl != nullptr ? static_cast<size_t>(nl - start) : end_ - pos_;
    // Keep at most kMaxLineBytes of the line; the rest is dropped.
    const size_t room = kMaxLineBytes - line->size();
    line->append(start, std::min(n, room));
    if (n > room) *truncated = true;
    pos_ += n;
    if (nl != nullptr) {
      ++pos_;  // the newline
      break;
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

namespace {

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
// Events the importer uses.

Kind KindOf(absl::string_view name) {
  static const auto* const kKinds = new absl::flat_hash_map<absl::string_view, Kind>{
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

// The events read have at most 9 fields; a line with many more is garbage,
// and refusing it early keeps the duplicate check cheap.
constexpr size_t kMaxFields = 32;

constexpr uint64_t kMaxAsid = 255;

class Fields {
 public:
  // Errors: a key without a value, an empty key, a key given twice, too
  // many fields.
  absl::Status Parse(absl::string_view args) {
    // Split on spaces and tabs by hand: this runs for every line of a log.
    absl::string_view tokens[2 * kMaxFields + 2];
    size_t count = 0;
    for (size_t at = 0; at < args.size();) {
      while (at < args.size() && (args[at] == ' ' || args[at] == '\t')) ++at;
      const size_t begin = at;
      while (at < args.size() && args[at] != ' ' && args[at] != '\t') ++at;
      if (at == begin) break;
      if (count == std::size(tokens)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("more than %u fields", kMaxFields));
      }
      tokens[count++] = args.substr(begin, at - begin);
    }
    for (size_t i = 0; i < count;) {
      absl::string_view token = tokens[i++];
      const size_t colon = token.find(':');
      absl::string_view key = token.substr(0, colon);
      absl::string_view value;
      if (colon != absl::string_view::npos && colon + 1 < token.size()) {
        value = token.substr(colon + 1);  // "key:value"
      } else if (i < count) {
        value = tokens[i++];  // "key: value" or "key value"
      } else {
        return absl::InvalidArgumentError(
            absl::StrFormat("field '%s' has no value", key));
      }
      if (key.empty()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("'%s' is not a field", token));
      }
      if (fields_.size() == kMaxFields) {
        return absl::InvalidArgumentError(
            absl::StrFormat("more than %u fields", kMaxFields));
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
  absl::InlinedVector<std::pair<absl::string_view, absl::string_view>, 16> fields_;
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
  if (!absl::ConsumePrefix(&digits, "0x") || digits.empty() || digits.size() > 16) {
    return BadValue(key, *v, "a 64-bit hex number");
  }
  // By hand: this runs for several fields of every line of a log.
  uint64_t out = 0;
  for (char c : digits) {
    uint64_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return BadValue(key, *v, "a 64-bit hex number");
    }
    out = (out << 4) | d;
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

// Abseil has no public ASSIGN_OR_RETURN; this file's parsers need one.
#define IOVACHECK_ASSIGN(lhs, expr)     \
  {                                     \
    auto _v = (expr);                   \
    if (!_v.ok()) return _v.status();   \
    lhs = *_v;                          \
  }

absl::StatusOr<RegionLine> RegionFrom(const Fields& f, bool add) {
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

absl::StatusOr<MessageLine> MessageFrom(const Fields& f, Kind kind) {
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
  const uint32_t want = kind == Kind::kDmaMap     ? kIotlbUpdate
                        : kind == Kind::kDmaUnmap ? kIotlbInvalidate
                        : kind == Kind::kBeginBatch ? kIotlbBatchBegin
                                                    : kIotlbBatchEnd;
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
    // Devices have a handful of address spaces; the bound keeps a garbage
    // asid from asking a replay for billions of them.
    if (f.Find("asid") != nullptr) IOVACHECK_ASSIGN(asid, Decimal(f, "asid", kMaxAsid));
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

absl::StatusOr<RangeLine> RangeFrom(const Fields& f) {
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

}  // namespace

Line Classify(absl::string_view text) {
  absl::string_view rest = StripPrefix(text);
  size_t space = 0;
  while (space < rest.size() && rest[space] != ' ' && rest[space] != '\t') ++space;
  if (space == rest.size()) space = absl::string_view::npos;
  Line line;
  line.name = rest.substr(0, space);
  if (space != absl::string_view::npos) line.args = rest.substr(space + 1);
  line.kind = KindOf(line.name);
  return line;
}

absl::StatusOr<RegionLine> ParseRegion(absl::string_view args, bool add) {
  Fields f;
  if (absl::Status s = f.Parse(args); !s.ok()) return s;
  return RegionFrom(f, add);
}

absl::StatusOr<MessageLine> ParseMessage(absl::string_view args, Kind kind) {
  Fields f;
  if (absl::Status s = f.Parse(args); !s.ok()) return s;
  return MessageFrom(f, kind);
}

absl::StatusOr<RangeLine> ParseRange(absl::string_view args) {
  Fields f;
  if (absl::Status s = f.Parse(args); !s.ok()) return s;
  return RangeFrom(f);
}

}  // namespace qemu_log
}  // namespace iovacheck
