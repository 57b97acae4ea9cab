#include "model/reference_model.h"

#include <algorithm>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

bool Contains(uint64_t start, uint64_t len, uint64_t addr, uint64_t addr_len) {
  return addr >= start &&
         absl::uint128(addr) + addr_len <= absl::uint128(start) + len;
}

}  // namespace

ReferenceModel::ReferenceModel(const DeviceConfig& config)
    : config_(config),
      host_(config.page_size),
      first_fit_(std::max(config.iova_first, config.page_size), config.iova_last) {}

uint64_t ReferenceModel::iova_floor() const {
  return std::max(config_.iova_first, config_.page_size);
}

absl::Status ReferenceModel::AddSection(const Section& section) {
  if (absl::Status s = guest_.Add(section); !s.ok()) return s;
  ListenerVerdict v = GuestMappingOf(section, config_);
  if (v.skip == ListenerSkip::kMapped) {
    if (auto iova = first_fit_.Allocate(v.mapping.len)) {
      guest_iova_[section.gpa] = *iova;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Section> ReferenceModel::RemoveSection(uint64_t gpa, uint64_t size) {
  absl::StatusOr<Section> removed = guest_.Remove(gpa, size);
  if (!removed.ok()) return removed;
  if (auto it = guest_iova_.find(gpa); it != guest_iova_.end()) {
    first_fit_.Free(it->second, GuestMappingOf(*removed, config_).mapping.len);
    guest_iova_.erase(it);
  }
  return removed;
}

absl::Status ReferenceModel::AddHostBuffer(const HostBuffer& buffer) {
  if (buffer.asid >= config_.num_as) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "host buffer %s: the device has %u address spaces",
        HostBufferToString(buffer), config_.num_as));
  }
  // Without the ASID feature (and v2 messages, which carry it) every message
  // lands in address space 0; QEMU only isolates the CVQ when it has both.
  if (buffer.asid != 0 &&
      !(config_.Has(kFeatureIotlbAsid) && config_.Has(kFeatureIotlbMsgV2))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "host buffer %s: address space %u needs the IOTLB_ASID feature and v2 messages",
        HostBufferToString(buffer), buffer.asid));
  }
  if (absl::Status s = host_.Add(buffer); !s.ok()) return s;
  if (auto iova = first_fit_.Allocate(HostMappingOf(buffer, config_).len)) {
    host_iova_[buffer.hva] = *iova;
  }
  return absl::OkStatus();
}

absl::StatusOr<HostBuffer> ReferenceModel::RemoveHostBuffer(uint64_t hva,
                                                            uint64_t size) {
  absl::StatusOr<HostBuffer> removed = host_.Remove(hva, size);
  if (!removed.ok()) return removed;
  if (auto it = host_iova_.find(hva); it != host_iova_.end()) {
    first_fit_.Free(it->second, HostMappingOf(*removed, config_).len);
    host_iova_.erase(it);
  }
  return removed;
}

std::vector<ExpectedMapping> ReferenceModel::ExpectedMappings() const {
  std::vector<ExpectedMapping> out;
  for (const Section& s : guest_.Sections()) {
    ListenerVerdict v = GuestMappingOf(s, config_);
    if (v.skip != ListenerSkip::kMapped) continue;
    if (auto it = guest_iova_.find(s.gpa); it != guest_iova_.end()) {
      v.mapping.predicted_iova = it->second;
    }
    out.push_back(v.mapping);
  }
  for (const HostBuffer& b : host_.Buffers()) {
    ExpectedMapping m = HostMappingOf(b, config_);
    if (auto it = host_iova_.find(b.hva); it != host_iova_.end()) {
      m.predicted_iova = it->second;
    }
    out.push_back(m);
  }
  return out;
}

ElementExpectation ReferenceModel::Expect(const Iovec& e) const {
  ElementExpectation x;
  if (e.has_gpa) {
    const Section* s = guest_.Find(e.gpa);
    if (s == nullptr) {
      x.why = absl::StrFormat("gpa 0x%x is in no live section", e.gpa);
      return x;
    }
    ListenerVerdict v = GuestMappingOf(*s, config_);
    if (v.skip != ListenerSkip::kMapped) {
      x.why = absl::StrFormat("section %s is not mapped (%s)", s->name,
                              ListenerSkipName(v.skip));
      return x;
    }
    const ExpectedMapping& m = v.mapping;
    if (!Contains(m.gpa, m.len, e.gpa, e.len)) {
      x.why = absl::StrFormat(
          "gpa [0x%x, +0x%x) is not inside %s's mapped gpa [0x%x, 0x%x]", e.gpa,
          e.len, s->name, m.gpa, m.gpa + m.len - 1);
      return x;
    }
    x.mapped = true;
    x.asid = m.asid;
    x.hva = m.hva + (e.gpa - m.gpa);
    x.perm = m.perm;
    x.why = s->name;
    return x;
  }
  const HostBuffer* b = host_.Find(e.hva);
  if (b == nullptr) {
    x.why = absl::StrFormat("hva 0x%x is in no host buffer", e.hva);
    return x;
  }
  ExpectedMapping m = HostMappingOf(*b, config_);
  if (!Contains(m.hva, m.len, e.hva, e.len)) {
    x.why = absl::StrFormat("hva [0x%x, +0x%x) expands over %s's end 0x%x",
                            e.hva, e.len, b->name, m.hva + m.len - 1);
    return x;
  }
  x.mapped = true;
  x.asid = m.asid;
  x.hva = e.hva;
  x.perm = m.perm;
  x.why = b->name;
  return x;
}

}  // namespace iovacheck
