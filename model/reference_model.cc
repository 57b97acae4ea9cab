#include "model/reference_model.h"

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"

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
      first_fit_(std::max(config.iova_first, config.page_size), config.iova_last),
      shadow_(!config.viommu) {}

uint64_t ReferenceModel::iova_floor() const {
  return std::max(config_.iova_first, config_.page_size);
}

absl::Status ReferenceModel::AddSection(const Section& section) {
  if (absl::Status s = guest_.Add(section); !s.ok()) return s;
  ListenerVerdict v = GuestMappingOf(section, config_, shadow_, /*named=*/false);
  if (v.skip == ListenerSkip::kMapped && shadow_) {
    if (auto iova = first_fit_.Allocate(v.mapping.len)) {
      guest_iova_[section.gpa] = *iova;
    }
  }
  Changed(MappingSource::Kind::kSection, section.gpa);
  return absl::OkStatus();
}

absl::StatusOr<Section> ReferenceModel::RemoveSection(uint64_t gpa, uint64_t size) {
  if (auto it = iommu_resting_on_.find(gpa); it != iommu_resting_on_.end()) {
    // The lowest, for the message (the error path may walk them all).
    uint64_t giova = ~uint64_t{0};
    for (const auto& [start, e] : iommu_) {
      if (e.section_gpa == gpa) giova = std::min(giova, start);
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "section at gpa 0x%x still backs %u IOMMU mapping(s), one at giova 0x%x", gpa,
        it->second, giova));
  }
  absl::StatusOr<Section> removed = guest_.Remove(gpa, size);
  if (!removed.ok()) return removed;
  if (auto it = guest_iova_.find(gpa); it != guest_iova_.end()) {
    first_fit_.Free(it->second);
    guest_iova_.erase(it);
  }
  excused_sections_.erase(gpa);
  optional_sections_.erase(gpa);
  Changed(MappingSource::Kind::kSection, gpa);
  return removed;
}

absl::Status ReferenceModel::SetShadow(bool enabled) {
  if (enabled && config_.viommu) {
    return absl::InvalidArgumentError("shadow virtqueues are refused with a vIOMMU");
  }
  if (guest_.size() != 0 || !host_.empty()) {
    return absl::InvalidArgumentError(
        "shadow data switches only while no section or host buffer is mapped "
        "(QEMU unregisters the listener around the switch)");
  }
  shadow_ = enabled;
  return absl::OkStatus();
}

absl::Status ReferenceModel::IommuMap(uint64_t giova, uint64_t gpa, uint64_t size,
                                      uint8_t perm) {
  if (!config_.viommu) return absl::InvalidArgumentError("iommu_map without a vIOMMU");
  if (size == 0 || absl::uint128(giova) + size > (absl::uint128(1) << 64) ||
      absl::uint128(gpa) + size > (absl::uint128(1) << 64)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "iommu_map giova 0x%x gpa 0x%x size 0x%x is empty or wraps", giova, gpa, size));
  }
  const Section* s = guest_.Find(gpa);
  if (s == nullptr || !s->ram || !Contains(s->gpa, s->size, gpa, size)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "iommu_map of gpa [0x%x, +0x%x), which is not inside one live RAM section", gpa,
        size));
  }
  const uint64_t last = giova + size - 1;
  replay_of_live_ = false;
  const auto next = iommu_extents_.upper_bound(giova);  // also where a new one goes
  if (auto it = IommuOverlapAround(next, giova, last); it != iommu_extents_.end()) {
    const uint64_t start = it->first;
    const IommuEntry& e = iommu_.at(start);
    if (start == giova && e.last == last && e.gpa == gpa && e.perm == perm) {
      // Refusing this attempt cannot take away the entry the device already
      // holds for it (ExcuseIommu).
      replay_of_live_ = excused_iommu_.count(giova) == 0;
      // A replay of a live mapping. If a fault kept it off the device, the
      // translator rightly tries again: it is expected mapped unless this
      // attempt is refused too (the harness excuses it again then).
      excused_iommu_.erase(giova);
      Changed(MappingSource::Kind::kIommu, giova);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "iommu_map giova [0x%x, 0x%x] overlaps the live mapping at giova 0x%x", giova,
        last, start));
  }
  iommu_extents_.emplace_hint(next, giova, last);
  iommu_[giova] = IommuEntry{last, gpa, perm, s->hva + (gpa - s->gpa),
                             s->readonly ? kPermRO : perm, s->gpa};
  ++iommu_resting_on_[s->gpa];
  Changed(MappingSource::Kind::kIommu, giova);
  return absl::OkStatus();
}

absl::Status ReferenceModel::IommuUnmap(uint64_t giova, uint64_t last) {
  if (!config_.viommu) return absl::InvalidArgumentError("iommu_unmap without a vIOMMU");
  if (last < giova) {
    return absl::InvalidArgumentError(
        absl::StrFormat("iommu_unmap of [0x%x, 0x%x] is empty", giova, last));
  }
  // Live mappings never overlap: those overlapping the range are one run.
  for (auto it = FirstIommuOverlap(giova, last);
       it != iommu_extents_.end() && it->first <= last;) {
    const uint64_t start = it->first;
    excused_iommu_.erase(start);
    optional_iommu_.erase(start);
    auto entry = iommu_.find(start);
    auto resting = iommu_resting_on_.find(entry->second.section_gpa);
    if (--resting->second == 0) iommu_resting_on_.erase(resting);
    iommu_.erase(entry);
    Changed(MappingSource::Kind::kIommu, start);
    it = iommu_extents_.erase(it);
  }
  return absl::OkStatus();
}

ReferenceModel::IommuExtents::const_iterator ReferenceModel::FirstIommuOverlap(
    uint64_t giova, uint64_t last) const {
  return IommuOverlapAround(iommu_extents_.upper_bound(giova), giova, last);
}

ReferenceModel::IommuExtents::const_iterator ReferenceModel::IommuOverlapAround(
    IommuExtents::const_iterator next, uint64_t giova, uint64_t last) const {
  if (next != iommu_extents_.begin() && std::prev(next)->second >= giova) return std::prev(next);
  return next != iommu_extents_.end() && next->first <= last ? next : iommu_extents_.end();
}

std::optional<uint64_t> ReferenceModel::HvaOf(uint64_t gpa) const {
  const Section* s = guest_.Find(gpa);
  if (s == nullptr) return std::nullopt;
  return s->hva + (gpa - s->gpa);
}

std::optional<ReferenceModel::IommuTarget> ReferenceModel::IommuTargetOf(uint64_t giova) const {
  auto it = iommu_.find(giova);
  if (it == iommu_.end()) return std::nullopt;
  return IommuTarget{it->second.hva, it->second.device_perm};
}

void ReferenceModel::ExcuseSection(uint64_t gpa) {
  excused_sections_.insert(gpa);
  Changed(MappingSource::Kind::kSection, gpa);
  const Section* s = guest_.Find(gpa);
  if (auto it = guest_iova_.find(gpa); it != guest_iova_.end() && s != nullptr) {
    first_fit_.Free(it->second);
    guest_iova_.erase(it);
  }
}

void ReferenceModel::ExcuseHostBuffer(uint64_t hva) {
  excused_buffers_.insert(hva);
  Changed(MappingSource::Kind::kHostBuffer, hva);
  const HostBuffer* b = host_.Find(hva);
  if (auto it = host_iova_.find(hva); it != host_iova_.end() && b != nullptr) {
    first_fit_.Free(it->second);
    host_iova_.erase(it);
  }
}

uint8_t ReferenceModel::IommuDevicePerm(uint64_t gpa, uint8_t guest_perm) const {
  const Section* s = guest_.Find(gpa);
  return s != nullptr && s->readonly ? kPermRO : guest_perm;
}

bool ReferenceModel::IommuOutsideDevice(uint64_t giova, uint64_t last) const {
  return giova < config_.iova_first || last > config_.iova_last;
}

void ReferenceModel::ExcuseIommu(uint64_t giova) {
  // A refused replay of a mapping the device holds: a translator that sends
  // nothing for a replay, or only an UPDATE, leaves the entry where it was;
  // one that takes the range away before mapping it again (QEMU with the
  // unmap-first fix) has lost it. Either way it is optional from now on.
  Changed(MappingSource::Kind::kIommu, giova);
  if (replay_of_live_) {
    optional_iommu_.insert(giova);
    return;
  }
  excused_iommu_.insert(giova);
}

void ReferenceModel::DeviceWasReset() {
  for (uint64_t gpa : excused_sections_) Changed(MappingSource::Kind::kSection, gpa);
  for (uint64_t hva : excused_buffers_) Changed(MappingSource::Kind::kHostBuffer, hva);
  for (uint64_t giova : excused_iommu_) Changed(MappingSource::Kind::kIommu, giova);
  optional_sections_.insert(excused_sections_.begin(), excused_sections_.end());
  optional_buffers_.insert(excused_buffers_.begin(), excused_buffers_.end());
  optional_iommu_.insert(excused_iommu_.begin(), excused_iommu_.end());
  excused_sections_.clear();
  excused_buffers_.clear();
  excused_iommu_.clear();
}

bool ReferenceModel::FirstFitFailedForSection(uint64_t gpa) const {
  const Section* s = guest_.Find(gpa);
  return s != nullptr && shadow_ &&
         GuestMappingOf(*s, config_, shadow_, /*named=*/false).skip == ListenerSkip::kMapped &&
         guest_iova_.count(gpa) == 0;
}

bool ReferenceModel::FirstFitFailedForHostBuffer(uint64_t hva) const {
  return host_.Find(hva) != nullptr && host_iova_.count(hva) == 0;
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
  if (config_.viommu) {
    return absl::InvalidArgumentError("host buffers need shadow virtqueues, refused with a vIOMMU");
  }
  if (!shadow_ && buffer.asid == 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "host buffer %s in asid 0 without shadow data, where guest memory sits at IOVA = GPA",
        HostBufferToString(buffer)));
  }
  if (absl::Status s = host_.Add(buffer); !s.ok()) return s;
  if (auto iova = first_fit_.Allocate(HostMappingOf(buffer, config_, /*named=*/false).len)) {
    host_iova_[buffer.hva] = *iova;
  }
  Changed(MappingSource::Kind::kHostBuffer, buffer.hva);
  return absl::OkStatus();
}

absl::StatusOr<HostBuffer> ReferenceModel::RemoveHostBuffer(uint64_t hva,
                                                            uint64_t size) {
  absl::StatusOr<HostBuffer> removed = host_.Remove(hva, size);
  if (!removed.ok()) return removed;
  if (auto it = host_iova_.find(hva); it != host_iova_.end()) {
    first_fit_.Free(it->second);
    host_iova_.erase(it);
  }
  excused_buffers_.erase(hva);
  optional_buffers_.erase(hva);
  Changed(MappingSource::Kind::kHostBuffer, hva);
  return removed;
}

std::vector<MappingSource> ReferenceModel::Sources() const {
  std::vector<MappingSource> out;
  for (const Section& s : guest_.Sections()) {
    out.push_back({MappingSource::Kind::kSection, s.gpa});
  }
  for (const HostBuffer& b : host_.Buffers()) {
    out.push_back({MappingSource::Kind::kHostBuffer, b.hva});
  }
  for (const auto& [giova, last] : iommu_extents_) {
    out.push_back({MappingSource::Kind::kIommu, giova});
  }
  return out;
}

std::optional<ExpectedMapping> ReferenceModel::ExpectedMappingOf(const MappingSource& source,
                                                                bool named) const {
  switch (source.kind) {
    case MappingSource::Kind::kSection: {
      const Section* s = guest_.Find(source.key);
      if (s == nullptr || s->gpa != source.key) return std::nullopt;
      ListenerVerdict v = GuestMappingOf(*s, config_, shadow_, named);
      if (v.skip != ListenerSkip::kMapped || excused_sections_.count(s->gpa)) {
        return std::nullopt;
      }
      if (auto it = guest_iova_.find(s->gpa); it != guest_iova_.end()) {
        v.mapping.predicted_iova = it->second;
      }
      v.mapping.optional = optional_sections_.count(s->gpa) != 0;
      return v.mapping;
    }
    case MappingSource::Kind::kHostBuffer: {
      const HostBuffer* b = host_.Find(source.key);
      if (b == nullptr || b->hva != source.key || excused_buffers_.count(b->hva)) {
        return std::nullopt;
      }
      ExpectedMapping m = HostMappingOf(*b, config_, named);
      if (auto it = host_iova_.find(b->hva); it != host_iova_.end()) {
        m.predicted_iova = it->second;
      }
      m.optional = optional_buffers_.count(b->hva) != 0;
      return m;
    }
    case MappingSource::Kind::kIommu: {
      auto it = iommu_.find(source.key);
      if (it == iommu_.end()) return std::nullopt;
      const uint64_t giova = it->first;
      const IommuEntry& e = it->second;
      if (excused_iommu_.count(giova) || IommuOutsideDevice(giova, e.last)) {
        return std::nullopt;
      }
      ExpectedMapping m;
      m.guest = true;
      m.gpa = e.gpa;
      m.hva = e.hva;
      m.len = e.last - giova + 1;
      m.perm = e.device_perm;
      m.asid = 0;
      m.fixed_iova = giova;
      m.iommu = true;
      m.optional = optional_iommu_.count(giova) != 0;
      return m;
    }
  }
  return std::nullopt;
}

std::vector<ExpectedMapping> ReferenceModel::ExpectedMappings() const {
  std::vector<ExpectedMapping> out;
  for (const MappingSource& source : Sources()) {
    if (std::optional<ExpectedMapping> m = ExpectedMappingOf(source)) {
      out.push_back(std::move(*m));
    }
  }
  return out;
}

std::optional<DmaExpectation> ReferenceModel::ExpectDeviceDma(uint32_t asid, uint64_t iova,
                                                              uint64_t len, uint8_t need_perm,
                                                              bool explain) const {
  // Only where every mapping of the address space sits at a fixed IOVA can
  // the model say where a raw DMA lands.
  if (asid != 0 || shadow_) return std::nullopt;
  const absl::uint128 dma_end = absl::uint128(iova) + len;
  // An optional mapping may or may not be there: neither outcome of a DMA
  // through its IOVAs is the model's to predict.
  std::vector<MappingSource> optional;
  for (uint64_t gpa : optional_sections_) optional.push_back({MappingSource::Kind::kSection, gpa});
  for (uint64_t giova : optional_iommu_) optional.push_back({MappingSource::Kind::kIommu, giova});
  for (const MappingSource& source : optional) {
    std::optional<ExpectedMapping> m = ExpectedMappingOf(source, /*named=*/false);
    if (!m || m->asid != 0 || !m->fixed_iova) continue;
    const absl::uint128 m_end = absl::uint128(*m->fixed_iova) + m->len;
    if (absl::uint128(iova) < m_end && absl::uint128(*m->fixed_iova) < dma_end) {
      return std::nullopt;
    }
  }
  // The required fixed mapping of asid 0 holding `at`. Only two can: the
  // one of the section holding GPA `at` (a section's mapping lies inside its
  // own GPA range) and the IOMMU mapping starting at or below it (they never
  // overlap); host buffers never sit in asid 0 without shadow data.
  auto fixed_at = [&](absl::uint128 at) -> std::optional<ExpectedMapping> {
    const uint64_t a = absl::Uint128Low64(at);
    MappingSource candidates[2];
    size_t n = 0;
    // Behind a vIOMMU no section is mapped as such (kBehindIommu).
    if (const Section* s = config_.viommu ? nullptr : guest_.Find(a)) {
      candidates[n++] = {MappingSource::Kind::kSection, s->gpa};
    }
    if (auto it = iommu_extents_.upper_bound(a); it != iommu_extents_.begin()) {
      candidates[n++] = {MappingSource::Kind::kIommu, std::prev(it)->first};
    }
    for (size_t i = 0; i < n; ++i) {
      const MappingSource& source = candidates[i];
      std::optional<ExpectedMapping> m = ExpectedMappingOf(source, explain);
      if (!m || m->asid != 0 || !m->fixed_iova || m->optional) continue;
      if (at >= *m->fixed_iova && at < absl::uint128(*m->fixed_iova) + m->len) return m;
    }
    return std::nullopt;
  };
  DmaExpectation x;
  absl::uint128 at = iova;
  const absl::uint128 end = absl::uint128(iova) + len;
  while (at < end) {
    const std::optional<ExpectedMapping> m = fixed_at(at);
    const uint64_t cur = absl::Uint128Low64(at);
    if (!m) {
      x.refusal = EINVAL;
      if (explain) x.why = absl::StrFormat("iova 0x%x is inside no mapping", cur);
      return x;
    }
    if ((m->perm & need_perm) != need_perm) {
      x.refusal = EPERM;
      if (explain) x.why = absl::StrFormat("%s is %s", MappingName(*m), PermToString(m->perm));
      return x;
    }
    const absl::uint128 mapping_end = absl::uint128(*m->fixed_iova) + m->len;
    const uint64_t piece = absl::Uint128Low64(std::min(end, mapping_end) - at);
    x.pieces.push_back(DmaSegment{m->hva + (cur - *m->fixed_iova), piece});
    if (explain) x.why += (x.why.empty() ? "" : " + ") + MappingName(*m);
    at += piece;
  }
  return x;
}

ElementExpectation ReferenceModel::Expect(const Iovec& e) const {
  ElementExpectation x;
  if (e.has_gpa) {
    const Section* s = guest_.Find(e.gpa);
    if (s == nullptr) {
      x.why = absl::StrFormat("gpa 0x%x is in no live section", e.gpa);
      return x;
    }
    ListenerVerdict v = GuestMappingOf(*s, config_, shadow_, /*named=*/false);
    if (v.skip != ListenerSkip::kMapped) {
      x.why = absl::StrFormat("section %s is not mapped (%s)", s->name,
                              ListenerSkipName(v.skip));
      return x;
    }
    if (excused_sections_.count(s->gpa)) {
      x.why = absl::StrFormat("section %s is not mapped (a fault kept it off the device)",
                              s->name);
      return x;
    }
    const ExpectedMapping& m = v.mapping;
    if (!Contains(m.gpa, m.len, e.gpa, e.len)) {
      x.why = absl::StrFormat(
          "gpa [0x%x, +0x%x) is not inside %s's mapped gpa [0x%x, 0x%x]", e.gpa,
          e.len, s->name, m.gpa, m.gpa + m.len - 1);
      return x;
    }
    x.optional = optional_sections_.count(s->gpa) != 0;
    x.mapped = !x.optional;
    x.asid = m.asid;
    x.hva = m.hva + (e.gpa - m.gpa);
    x.perm = m.perm;
    x.why = x.optional ? absl::StrFormat("%s (mapped again or not since a reset)", s->name)
                       : s->name;
    return x;
  }
  const HostBuffer* b = host_.Find(e.hva);
  if (b == nullptr) {
    x.why = absl::StrFormat("hva 0x%x is in no host buffer", e.hva);
    return x;
  }
  if (excused_buffers_.count(b->hva)) {
    x.why = absl::StrFormat("%s is not mapped (a fault kept it off the device)", b->name);
    return x;
  }
  ExpectedMapping m = HostMappingOf(*b, config_, /*named=*/false);
  if (!Contains(m.hva, m.len, e.hva, e.len)) {
    x.why = absl::StrFormat("hva [0x%x, +0x%x) expands over %s's end 0x%x",
                            e.hva, e.len, b->name, m.hva + m.len - 1);
    return x;
  }
  x.optional = optional_buffers_.count(b->hva) != 0;
  x.mapped = !x.optional;
  x.asid = m.asid;
  x.hva = e.hva;
  x.perm = m.perm;
  x.why = x.optional ? absl::StrFormat("%s (mapped again or not since a reset)", b->name)
                     : b->name;
  return x;
}

}  // namespace iovacheck
