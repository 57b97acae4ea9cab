#include "devicediff/device_diff.h"

#include <cstring>

#include "absl/strings/str_format.h"
#include "model/errno_text.h"

namespace iovacheck {
namespace {

std::string TableToString(const IntervalTable* t) {
  if (t == nullptr) return "(no address space)";
  std::string s;
  for (const IotlbEntry& e : t->Entries()) {
    s += absl::StrFormat(" [0x%x,0x%x]->0x%x/%s", e.start, e.last, e.addr, PermToString(e.perm));
  }
  return s.empty() ? " (empty)" : s;
}

bool SameTable(const IntervalTable* x, const IntervalTable* y) {
  if ((x == nullptr) != (y == nullptr)) return false;
  return x == nullptr || *x == *y;
}

std::string ErrName(int err) {
  return err == 0 ? "0" : absl::StrFormat("%d (%s)", err, ErrnoText(err));
}

std::string SegmentsToString(const std::vector<DmaSegment>& segs) {
  std::string s;
  for (const DmaSegment& g : segs) s += absl::StrFormat(" 0x%x+0x%x", g.hva, g.len);
  return s.empty() ? " (none)" : s;
}

// The state both devices expose, compared field by field.
std::optional<std::string> CompareState(const Device& a, const Device& b) {
  if (a.asids() != b.asids()) {
    return absl::StrFormat("address spaces: a has %u, b has %u", a.asids().size(),
                           b.asids().size());
  }
  if (a.in_batch() != b.in_batch()) {
    return absl::StrFormat("batch: a %s, b %s", a.in_batch() ? "open" : "closed",
                           b.in_batch() ? "open" : "closed");
  }
  if (a.in_batch() && a.batch_asid() != b.batch_asid()) {
    return absl::StrFormat("batch asid: a %u, b %u", a.batch_asid(), b.batch_asid());
  }
  for (uint32_t asid = 0; asid < a.config().num_as; ++asid) {
    if (!SameTable(a.vhost_table(asid), b.vhost_table(asid))) {
      return absl::StrFormat("asid %u vhost table:\n    a:%s\n    b:%s", asid,
                             TableToString(a.vhost_table(asid)),
                             TableToString(b.vhost_table(asid)));
    }
    if (a.parent_default(asid) != b.parent_default(asid)) {
      return absl::StrFormat("asid %u parent default mapping: a %s, b %s", asid,
                             a.parent_default(asid) ? "yes" : "no",
                             b.parent_default(asid) ? "yes" : "no");
    }
    if (!SameTable(a.device_table(asid), b.device_table(asid))) {
      return absl::StrFormat("asid %u parent (device) table:\n    a:%s\n    b:%s", asid,
                             TableToString(a.device_table(asid)),
                             TableToString(b.device_table(asid)));
    }
  }
  return std::nullopt;
}

// A device whose code crashed or hung: the verdict, before any comparison.
std::optional<std::string> Died(const Device& a, const Device& b) {
  for (const auto& [name, d] : {std::pair<const char*, const Device*>{"a", &a}, {"b", &b}}) {
    if (std::optional<DeviceDeath> death = d->death()) {
      return absl::StrFormat("%s (%s) %s: %s during %s", name, d->config().device,
                             death->hang ? "hung" : "crashed", death->detail, death->during);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Apply(const DeviceOp& op, Device& a, Device& b) {
  if (const auto* w = std::get_if<WriteOp>(&op)) {
    const WriteResult ra = a.Write(w->msg);
    const WriteResult rb = b.Write(w->msg);
    if (auto died = Died(a, b)) return died;
    if (ra.err != rb.err) {
      return absl::StrFormat("write: a returned %s, b %s", ErrName(ra.err), ErrName(rb.err));
    }
  } else if (std::holds_alternative<ResetOp>(op)) {
    a.Reset();
    b.Reset();
    if (auto died = Died(a, b)) return died;
  } else if (std::holds_alternative<ReopenOp>(op)) {
    a.Reopen();
    b.Reopen();
    if (auto died = Died(a, b)) return died;
  } else {
    const auto& d = std::get<DmaOp>(op);
    std::vector<DmaSegment> sa, sb;
    const int ra = a.Dma(d.asid, d.iova, d.len, d.need_perm, &sa);
    const int rb = b.Dma(d.asid, d.iova, d.len, d.need_perm, &sb);
    if (auto died = Died(a, b)) return died;
    if (ra != rb) {
      return absl::StrFormat("dma: a returned %s, b %s", ErrName(ra), ErrName(rb));
    }
    if (sa != sb) {
      return absl::StrFormat("dma pieces:\n    a:%s\n    b:%s", SegmentsToString(sa),
                             SegmentsToString(sb));
    }
  }
  return CompareState(a, b);
}

}  // namespace

absl::StatusOr<std::optional<Disagreement>> RunDiff(const std::vector<DeviceOp>& ops,
                                                    const DeviceMaker& make_a,
                                                    const DeviceMaker& make_b) {
  absl::StatusOr<std::unique_ptr<Device>> a = make_a();
  if (!a.ok()) return a.status();
  absl::StatusOr<std::unique_ptr<Device>> b = make_b();
  if (!b.ok()) return b.status();
  if (auto what = CompareState(**a, **b)) {
    return Disagreement{0, "before any operation: " + *what};
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    if (auto what = Apply(ops[i], **a, **b)) return Disagreement{i, *what};
  }
  return std::optional<Disagreement>();
}

std::vector<DeviceOp> ShrinkDiff(std::vector<DeviceOp> ops, const DeviceMaker& a,
                                 const DeviceMaker& b, size_t max_replays) {
  size_t replays = 0;
  auto disagrees = [&](const std::vector<DeviceOp>& candidate) {
    ++replays;
    absl::StatusOr<std::optional<Disagreement>> r = RunDiff(candidate, a, b);
    return r.ok() && r->has_value();
  };
  // Everything after the first disagreement is irrelevant.
  if (absl::StatusOr<std::optional<Disagreement>> r = RunDiff(ops, a, b); r.ok() && *r) {
    ops.resize((*r)->op_index + 1);
  }
  for (size_t chunk = ops.size() / 2; chunk >= 1 && replays < max_replays; chunk /= 2) {
    bool removed = true;
    while (removed && replays < max_replays) {
      removed = false;
      for (size_t start = 0; start + chunk <= ops.size() && replays < max_replays;) {
        std::vector<DeviceOp> candidate(ops.begin(), ops.begin() + start);
        candidate.insert(candidate.end(), ops.begin() + start + chunk, ops.end());
        if (disagrees(candidate)) {
          ops = std::move(candidate);
          removed = true;
        } else {
          start += chunk;
        }
      }
    }
  }
  return ops;
}

}  // namespace iovacheck
