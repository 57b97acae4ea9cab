#include "model/check_datapath.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "model/errno_text.h"

namespace iovacheck {
namespace {

std::string IovecToString(const Iovec& v) {
  return v.has_gpa ? absl::StrFormat("gpa 0x%x len 0x%x", v.gpa, v.len)
                   : absl::StrFormat("hva 0x%x len 0x%x", v.hva, v.len);
}

Divergence Datapath(const Iovec& v, std::string expected, std::string actual) {
  Divergence d;
  d.rule = OracleRule::kDatapath;
  d.expected = std::move(expected);
  d.actual = std::move(actual);
  if (v.has_gpa) d.gpas = {v.gpa};
  d.hvas = {v.hva};
  return d;
}

}  // namespace

std::optional<Divergence> CheckDatapath(const ReferenceModel& model,
                                        const Device& device,
                                        const std::vector<Iovec>& iovecs,
                                        int translator_rc,
                                        const std::vector<uint64_t>& iovas) {
  std::vector<ElementExpectation> want;
  for (const Iovec& v : iovecs) want.push_back(model.Expect(v));
  // Without shadow data guest memory sits at IOVA = GPA and QEMU translates
  // no guest buffer at all (the data queues are not shadowed): a guest
  // element answered with its own GPA is QEMU's answer whether or not
  // anything maps it (third_party/qemu/glue_10_0.c, translate_buffer). The
  // device's IOTLB is then the only check, and it must refuse what nothing
  // maps. Refusing the element (EFAULT), as our translators do, is right too.
  const bool identity_allowed = !model.shadow() && !model.config().viommu &&
                                translator_rc == 0 && iovas.size() == iovecs.size();
  std::vector<bool> judged(iovecs.size(), false);
  bool may_refuse = false;
  for (size_t i = 0; i < iovecs.size(); ++i) {
    if (want[i].mapped) continue;
    const Iovec& v = iovecs[i];
    if (identity_allowed && v.has_gpa && iovas[i] == v.gpa) {
      std::vector<DmaSegment> segments;
      const int r = device.Dma(0, v.gpa, v.len, v.device_writes ? kPermWO : kPermRO, &segments);
      if (auto d = CheckDeviceDma(model, device, 0, v.gpa, v.len, v.device_writes, r, segments)) {
        return d;
      }
      judged[i] = true;
      continue;
    }
    if (want[i].optional) {
      may_refuse = true;
      continue;
    }
    if (translator_rc != 0) return std::nullopt;  // refused, as it must be
    return Datapath(iovecs[i],
                    absl::StrFormat("element %u (%s) refused as a guest error: %s",
                                    i, IovecToString(iovecs[i]), want[i].why),
                    "the translator accepted the buffer");
  }
  if (translator_rc != 0 && may_refuse) return std::nullopt;
  if (translator_rc != 0) {
    return Datapath(iovecs.front(), "every element is mapped: translation succeeds",
                    absl::StrFormat("the translator refused the buffer (%s)",
                                    ErrnoText(translator_rc)));
  }
  if (iovas.size() != iovecs.size()) {
    return Datapath(iovecs.front(), absl::StrFormat("%u IOVAs", iovecs.size()),
                    absl::StrFormat("%u IOVAs", iovas.size()));
  }
  for (size_t i = 0; i < iovecs.size(); ++i) {
    if (judged[i]) continue;
    const Iovec& v = iovecs[i];
    const ElementExpectation& x = want[i];
    const uint8_t need = v.device_writes ? kPermWO : kPermRO;
    std::vector<DmaSegment> segments;
    int r = device.Dma(x.asid, iovas[i], v.len, need, &segments);
    const bool allowed = (x.perm & need) == need;
    if (!allowed) {
      if (r == EPERM) continue;
      Divergence d = Datapath(
          v,
          absl::StrFormat("element %u (%s) in %s (%s): a device %s is refused (EPERM)",
                          i, IovecToString(v), x.why, PermToString(x.perm),
                          v.device_writes ? "write" : "read"),
          absl::StrFormat("device DMA at asid %u iova 0x%x returned %d", x.asid,
                          iovas[i], r));
      d.iovas = {iovas[i]};
      return d;
    }
    // The pieces must be contiguous in HVA and start where the guest means.
    bool lands = (r == 0);
    uint64_t at = x.hva;
    std::vector<std::string> got;
    for (const DmaSegment& s : segments) {
      got.push_back(absl::StrFormat("[0x%x, +0x%x)", s.hva, s.len));
      if (s.hva != at) lands = false;
      at = s.hva + s.len;
    }
    if (lands && at - x.hva == v.len) continue;
    Divergence d = Datapath(
        v,
        absl::StrFormat("element %u (%s) in %s reaches hva [0x%x, +0x%x) via asid %u",
                        i, IovecToString(v), x.why, x.hva, v.len, x.asid),
        r == 0 ? absl::StrFormat("device DMA at iova 0x%x reached hva %s", iovas[i],
                                 absl::StrJoin(got, " "))
               : absl::StrFormat("device DMA at iova 0x%x failed: %s", iovas[i],
                                 ErrnoText(r)));
    d.iovas = {iovas[i]};
    return d;
  }
  return std::nullopt;
}

std::optional<Divergence> CheckDeviceDma(const ReferenceModel& model,
                                         const Device& device, uint32_t asid,
                                         uint64_t iova, uint64_t len, bool device_writes,
                                         int rc, const std::vector<DmaSegment>& segments) {
  if (len == 0) return std::nullopt;
  const uint8_t need = device_writes ? kPermWO : kPermRO;
  // Explained only when there is something to report: the reasons are
  // strings, and most DMAs land as expected.
  std::optional<DmaExpectation> x = model.ExpectDeviceDma(asid, iova, len, need, false);
  if (!x) return std::nullopt;
  if (x->refusal == EINVAL && OnlyParentDefault(device, asid)) {
    // Nothing is mapped and the parent holds its own default: vdpa_sim
    // (6.12, vdpasim_do_reset / vdpasim_create) an identity read-write
    // passthrough, so the device reaches the host address equal to the IOVA
    // (in two pieces if it crosses 2^63, where vhost_iotlb_add_range splits
    // 0..ULONG_MAX). That is the device's doing, not the translator's.
    x->refusal = 0;
    x->why = "the parent's default identity passthrough (nothing mapped)";
    x->pieces.clear();
    const uint64_t mid = uint64_t{1} << 63;
    if (iova < mid && len - 1 >= mid - iova) {
      x->pieces.push_back(DmaSegment{iova, mid - iova});
      x->pieces.push_back(DmaSegment{mid, len - (mid - iova)});
    } else {
      x->pieces.push_back(DmaSegment{iova, len});
    }
  }
  if (x->refusal == 0 ? (rc == 0 && segments == x->pieces) : rc == x->refusal) {
    return std::nullopt;
  }
  if (x->why.empty()) x->why = model.ExpectDeviceDma(asid, iova, len, need, true)->why;
  Divergence d;
  d.rule = OracleRule::kDatapath;
  d.iovas = {iova};
  const std::string what = absl::StrFormat("device %s at asid %u iova [0x%x, +0x%x)",
                                           device_writes ? "write" : "read", asid, iova, len);
  std::vector<std::string> want, got;
  for (const DmaSegment& p : x->pieces) want.push_back(absl::StrFormat("[0x%x, +0x%x)", p.hva, p.len));
  for (const DmaSegment& p : segments) got.push_back(absl::StrFormat("[0x%x, +0x%x)", p.hva, p.len));
  d.expected = x->refusal == 0
                   ? absl::StrFormat("%s through %s lands on hva %s", what, x->why,
                                     absl::StrJoin(want, " "))
                   : absl::StrFormat("%s refused with %s: %s", what,
                                     ErrnoText(x->refusal), x->why);
  d.actual = rc == 0 ? absl::StrFormat("it reached hva %s", absl::StrJoin(got, " "))
                     : absl::StrFormat("the device returned %s", ErrnoText(rc));
  return d;
}

}  // namespace iovacheck
