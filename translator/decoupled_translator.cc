#include "translator/decoupled_translator.h"

#include <cerrno>

#include "model/host_arena_layout.h"
#include "translator/address_math.h"
#include "translator/host_iova_trees.h"
#include "translator/listener_section.h"
#include "translator/range_lookup.h"
#include "translator/svq_window.h"

namespace iovacheck {
namespace {

template <typename Mapping>
uint64_t GuestLast(const Mapping& m) {
  return m.gpa_last;
}

// Inclusive last byte an iovec touches; a zero-length iovec is a point
// lookup of its start. False when it would wrap past 2^64.
bool IovecLast(uint64_t start, uint64_t len, uint64_t* last) {
  return RangeLast(start, len == 0 ? 1 : len, last);
}

}  // namespace

DecoupledTranslator::DecoupledTranslator(const DeviceConfig& config, IotlbChannel* channel,
                                         uint64_t guest_iova_last,
                                         const HostBufferMapFactory& host)
    : config_(config),
      sender_(config, channel),
      allocator_(AllocatableIovaFirst(config), guest_iova_last),
      guest_pages_(config.target_page_size),  // guest mappings align to it
      guest_at_gpa_(&sender_),
      iommu_(&sender_) {
  host_ = host(config_, &sender_, &allocator_);
}

DecoupledTranslator::DecoupledTranslator(const DeviceConfig& config, IotlbChannel* channel)
    : DecoupledTranslator(
          config, channel, config.iova_last,
          [](const DeviceConfig& c, IotlbSender* sender, IovaAllocator* allocator) {
            return std::make_unique<HostIovaTrees>(c, sender, allocator);
          }) {}

std::unique_ptr<Translator> DecoupledTranslator::Create(
    const DeviceConfig& config, IotlbChannel* channel) {
  return std::make_unique<DecoupledTranslator>(config, channel);
}

std::unique_ptr<Translator> DecoupledTranslator::CreateSvqWindow(const DeviceConfig& config,
                                                                 IotlbChannel* channel) {
  const SvqWindowLayout layout{kHostArenaBase, HostArenaBytes(config.page_size)};
  const std::optional<uint64_t> window = PlaceSvqWindow(config, layout.bytes);
  // Reserved up front: guest memory is allocated only below the window.
  const uint64_t guest_last = window ? *window - 1 : config.iova_last;
  return std::make_unique<DecoupledTranslator>(
      config, channel, guest_last,
      [layout, window](const DeviceConfig& c, IotlbSender* sender, IovaAllocator*) {
        return std::make_unique<SvqWindow>(c, layout, window, sender);
      });
}

void DecoupledTranslator::ListenerBegin() { sender_.BeginTransaction(); }
void DecoupledTranslator::ListenerCommit() { sender_.CommitTransaction(); }

int DecoupledTranslator::RegionAdd(const GuestSection& section) {
  // Under a vIOMMU the device never sees GPAs: only the notifier maps.
  if (config_.viommu) return 0;
  const ListenerSection ls = ClassifySection(section, config_);
  if (ls.verdict != SectionVerdict::kMap) return 0;
  if (!shadow_data_) return guest_at_gpa_.Add(ls.range);
  const ListenerRange& r = ls.range;

  uint64_t gpa_last = 0;
  uint64_t hva_last = 0;
  // The listener's range never reaches 2^64 (it would be past the device's
  // range), but an HVA range can wrap: QEMU rejects that as IOVA_ERR_INVALID.
  if (!RangeLast(r.gpa, r.size, &gpa_last) ||
      !RangeLast(r.hva, r.size, &hva_last)) {
    return EINVAL;
  }
  // GPA ranges of live sections never overlap; a second add of the same
  // guest memory is QEMU's IOVA_ERR_OVERLAP.
  if (OverlapsAny(guest_, GuestLast<GuestMapping>, r.gpa, gpa_last)) {
    return EEXIST;
  }
  uint64_t iova = 0;
  if (const int err = allocator_.Allocate(r.size, &iova); err != 0) return err;

  const uint64_t len = absl::Uint128Low64(r.size);  // < 2^64, allocated
  if (const int err = sender_.ListenerMap(iova, len, r.hva, r.perm); err != 0) {
    allocator_.Remove(iova, len);
    return err;
  }
  guest_.emplace(r.gpa, GuestMapping{gpa_last, iova, r.hva, r.perm});
  guest_pages_.Add({r.gpa, gpa_last, iova});
  return 0;
}

int DecoupledTranslator::RegionDel(const GuestSection& section) {
  if (config_.viommu) return 0;
  const ListenerSection ls = ClassifySection(section, config_);
  if (ls.verdict != SectionVerdict::kMap) return 0;
  if (!shadow_data_) return guest_at_gpa_.Del(ls.range);

  auto it = FindContaining(guest_, GuestLast<GuestMapping>, ls.range.gpa);
  if (it == guest_.end()) return 0;  // never mapped (skipped or refused)

  // Invalidate exactly what was mapped: for a del that matches its add this
  // is (iova, llsize), and it never reaches a neighbouring mapping.
  const uint64_t iova = it->second.iova;
  const absl::uint128 len = absl::uint128(it->second.gpa_last) - it->first + 1;
  guest_pages_.Remove(it->first, it->second.gpa_last);
  guest_.erase(it);
  allocator_.Remove(iova, len);
  // As in QEMU, the mapping is forgotten even if the device refuses: keeping
  // it would leak IOVA with no way to retry.
  return sender_.ListenerUnmap(iova, len);
}

int DecoupledTranslator::MapHostBuffer(uint64_t hva, uint64_t size,
                                       uint8_t perm, uint32_t asid) {
  return host_->Map(hva, size, perm, asid);
}

int DecoupledTranslator::UnmapHostBuffer(uint64_t hva, uint64_t size,
                                         uint32_t asid) {
  return host_->Unmap(hva, size, asid);
}

int DecoupledTranslator::TranslateGuest(uint64_t gpa, uint64_t len,
                                        uint64_t* iova) const {
  uint64_t last = 0;
  if (!IovecLast(gpa, len, &last)) return EFAULT;
  if (const std::optional<PageIndex::Mapping> m = guest_pages_.Find(gpa)) {
    if (last > m->last) return EFAULT;
    *iova = m->iova + (gpa - m->start);
    return 0;
  }
  auto it = FindContaining(guest_, GuestLast<GuestMapping>, gpa);
  // "Guest buffer expands over iova range": a guest error, not an assert.
  if (it == guest_.end() || last > it->second.gpa_last) return EFAULT;
  *iova = it->second.iova + (gpa - it->first);
  return 0;
}

int DecoupledTranslator::TranslateHost(uint64_t hva, uint64_t len,
                                       uint64_t* iova) const {
  uint64_t last = 0;
  if (!IovecLast(hva, len, &last)) return EFAULT;
  return host_->Translate(hva, last, iova);
}

int DecoupledTranslator::TranslateBuffer(const std::vector<Iovec>& iovecs,
                                         std::vector<uint64_t>* iovas) {
  if (iovas == nullptr) return EINVAL;
  iovas->clear();
  iovas->reserve(iovecs.size());
  for (const Iovec& v : iovecs) {
    uint64_t iova = 0;
    int err = 0;
    if (!v.has_gpa) {
      err = TranslateHost(v.hva, v.len, &iova);
    } else if (shadow_data_) {
      err = TranslateGuest(v.gpa, v.len, &iova);
    } else {
      err = guest_at_gpa_.Translate(v.gpa, v.len, &iova);
    }
    if (err != 0) return err;
    iovas->push_back(iova);
  }
  return 0;
}

std::vector<IovaAllocation> DecoupledTranslator::Allocations() const {
  // Guest memory at GPA and guest IOVAs never pass through the allocator.
  std::vector<IovaAllocation> held = allocator_.Allocations();
  host_->AppendAllocations(&held);
  return held;
}

bool DecoupledTranslator::JournalAllocations(std::vector<AllocationChange>* journal) {
  allocator_.JournalTo(journal);
  host_->JournalTo(journal);
  return true;
}

void DecoupledTranslator::SetShadowData(bool enabled) {
  shadow_data_ = enabled;
}

std::vector<LiveMapping> DecoupledTranslator::LiveMappings() const {
  std::vector<LiveMapping> live;
  for (const auto& [gpa, m] : guest_) {
    live.push_back({kGuestAsid, m.iova, m.gpa_last - gpa + 1, m.hva, m.perm});
  }
  host_->AppendLive(&live);
  AppendLive(guest_at_gpa_.mappings(), kGuestAsid, &live);
  AppendLive(iommu_.mappings(), kGuestAsid, &live);
  return live;
}

int DecoupledTranslator::DeviceReset() {
  return RecoverFromReset(config_, &sender_, LiveMappings());
}

int DecoupledTranslator::IommuMap(uint64_t giova, uint64_t size, uint64_t hva,
                                  uint8_t perm) {
  return iommu_.Map(giova, size, hva, perm);
}

int DecoupledTranslator::IommuUnmap(uint64_t giova, uint64_t last) {
  return iommu_.Unmap(giova, last);
}

}  // namespace iovacheck
