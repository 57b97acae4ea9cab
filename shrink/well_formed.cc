#include "shrink/well_formed.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "model/reference_model.h"

namespace iovacheck {
namespace {

bool SameSection(const Section& a, const Section& b) {
  return a.gpa == b.gpa && a.size == b.size && a.hva == b.hva &&
         a.readonly == b.readonly && a.ram == b.ram;
}

bool Wraps(uint64_t start, uint64_t len) {
  return absl::uint128(start) + len > (absl::uint128(1) << 64);
}

bool InsideLiveMemory(const ReferenceModel& model, uint64_t hva) {
  if (model.host().Find(hva) != nullptr) return true;
  for (const Section& s : model.guest().Sections()) {
    if (s.ram && hva >= s.hva && hva - s.hva < s.size) return true;
  }
  return false;
}

// QEMU finds a guest element's HVA through the flat view: where its GPA is
// guest RAM, the HVA is that RAM's; where its GPA is nothing, it has none
// that names live memory. Every generator keeps to that. A candidate that
// moved or kept alive a section without the buffers into it would break it,
// and a translator that looks elements up by HVA (legacy does) would then
// fail on a buffer no guest can make: another bug, under the same identity.
absl::Status CheckElementHva(const ReferenceModel& model, const Iovec& v) {
  if (!v.has_gpa) return absl::OkStatus();
  const Section* s = model.guest().Find(v.gpa);
  if (s != nullptr && s->ram && v.hva != s->hva + (v.gpa - s->gpa)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "element gpa 0x%x has hva 0x%x, not its RAM's 0x%x", v.gpa, v.hva,
        s->hva + (v.gpa - s->gpa)));
  }
  if (s == nullptr && InsideLiveMemory(model, v.hva)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "element gpa 0x%x is in no section, yet its hva 0x%x is live memory", v.gpa, v.hva));
  }
  return absl::OkStatus();
}

// One event against the model and the transaction state; applies it.
absl::Status Accept(const Event& event, ReferenceModel& model, bool& in_transaction) {
  if (std::holds_alternative<DeviceResetEvent>(event)) return absl::OkStatus();
  if (const auto* e = std::get_if<DeviceDmaEvent>(&event)) {
    if (Wraps(e->iova, e->len)) return absl::InvalidArgumentError("DMA range wraps");
    return absl::OkStatus();
  }
  if (std::holds_alternative<ListenerBeginEvent>(event)) {
    if (in_transaction) return absl::InvalidArgumentError("listener_begin inside a transaction");
    in_transaction = true;
    return absl::OkStatus();
  }
  const bool listener = std::holds_alternative<RegionAddEvent>(event) ||
                        std::holds_alternative<RegionDelEvent>(event) ||
                        std::holds_alternative<ListenerCommitEvent>(event);
  if (listener != in_transaction) {
    return absl::InvalidArgumentError(listener ? "outside a listener transaction"
                                               : "inside a listener transaction");
  }
  if (std::holds_alternative<ListenerCommitEvent>(event)) {
    in_transaction = false;
    return absl::OkStatus();
  }
  if (const auto* e = std::get_if<RegionAddEvent>(&event)) return model.AddSection(e->section);
  if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    const Section* live = model.guest().Find(e->section.gpa);
    if (live == nullptr || !SameSection(*live, e->section)) {
      return absl::NotFoundError("not a live section");
    }
    return model.RemoveSection(e->section.gpa, e->section.size).status();
  }
  if (const auto* e = std::get_if<HostMapEvent>(&event)) return model.AddHostBuffer(e->buffer);
  if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    const HostBuffer* live = model.host().Find(e->hva);
    if (live == nullptr || live->hva != e->hva || live->size != e->size ||
        live->asid != e->asid) {
      return absl::NotFoundError("not a live host buffer");
    }
    return model.RemoveHostBuffer(e->hva, e->size).status();
  }
  if (const auto* e = std::get_if<ShadowDataEvent>(&event)) return model.SetShadow(e->enabled);
  if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
    return model.IommuMap(e->giova, e->gpa, e->size, e->perm);
  }
  if (const auto* e = std::get_if<IommuUnmapEvent>(&event)) {
    return model.IommuUnmap(e->giova, e->last);
  }
  if (const auto* e = std::get_if<TranslateEvent>(&event)) {
    if (e->iovecs.empty()) return absl::InvalidArgumentError("empty buffer");
    for (const Iovec& v : e->iovecs) {
      if (v.len == 0 || Wraps(v.has_gpa ? v.gpa : v.hva, v.len)) {
        return absl::InvalidArgumentError("element empty or wrapping");
      }
      if (absl::Status s = CheckElementHva(model, v); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckWellFormed(const DeviceConfig& config, const StepPool& pool,
                             const StepOrder& order) {
  ReferenceModel model(config);
  bool in_transaction = false;
  for (size_t i = 0; i < order.size(); ++i) {
    const Event& event = pool[order[i]].event;
    if (absl::Status s = Accept(event, model, in_transaction); !s.ok()) {
      return absl::Status(s.code(), absl::StrFormat("event %u (%s): %s", i, EventKind(event),
                                                    s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace iovacheck
