#include "translator/legacy_translator.h"

#include <cerrno>

#include "translator/address_math.h"
#include "translator/first_fit.h"
#include "translator/iova_allocator.h"
#include "translator/listener_section.h"

namespace iovacheck {

LegacyTranslator::LegacyTranslator(const DeviceConfig& config,
                                   IotlbChannel* channel, Lookup lookup)
    : config_(config),
      lookup_(lookup),
      sender_(config, channel),
      guest_at_gpa_(&sender_),
      iommu_(&sender_) {}

std::unique_ptr<Translator> LegacyTranslator::Create(const DeviceConfig& config,
                                                     IotlbChannel* channel) {
  return std::make_unique<LegacyTranslator>(config, channel);
}

std::unique_ptr<Translator> LegacyTranslator::CreateAliasId(const DeviceConfig& config,
                                                            IotlbChannel* channel) {
  return std::make_unique<LegacyTranslator>(config, channel, Lookup::kHvaAndId);
}

std::optional<uint64_t> LegacyTranslator::IdToMatch(uint64_t id) const {
  if (lookup_ == Lookup::kHvaOnly) return std::nullopt;
  return id;
}

void LegacyTranslator::ListenerBegin() { sender_.BeginTransaction(); }
void LegacyTranslator::ListenerCommit() { sender_.CommitTransaction(); }

int LegacyTranslator::Insert(uint64_t hva, absl::uint128 len, uint8_t perm,
                             uint32_t asid, uint64_t id, uint64_t* iova) {
  uint64_t hva_last = 0;
  if (perm == kPermNone || !RangeLast(hva, len, &hva_last)) return EINVAL;
  const std::optional<uint64_t> start = FindFirstFit(
      tree_, [](const Node& n) { return n.iova_last; },
      AllocatableIovaFirst(config_), config_.iova_last, len);
  if (!start) return ENOMEM;
  tree_.emplace(*start,
                Node{absl::Uint128Low64(*start + len - 1), hva, perm, asid, id});
  *iova = *start;
  return 0;
}

LegacyTranslator::Tree::iterator LegacyTranslator::FindByHva(
    uint64_t hva, uint64_t hva_last, std::optional<uint64_t> id) {
  for (auto it = tree_.begin(); it != tree_.end(); ++it) {
    const Node& n = it->second;
    const uint64_t node_hva_last = n.hva + (n.iova_last - it->first);
    if (id && n.id != *id) continue;
    if (n.hva <= hva_last && hva <= node_hva_last) return it;
  }
  return tree_.end();
}

int LegacyTranslator::RegionAdd(const GuestSection& section) {
  // Under a vIOMMU the device never sees GPAs: only the notifier maps.
  if (config_.viommu) return 0;
  const ListenerSection ls = ClassifySection(section, config_);
  if (ls.verdict != SectionVerdict::kMap) return 0;
  if (!shadow_data_) return guest_at_gpa_.Add(ls.range);
  const ListenerRange& r = ls.range;

  uint64_t iova = 0;
  if (const int err = Insert(r.hva, r.size, r.perm, kGuestAsid, section.gpa, &iova);
      err != 0) {
    return err;
  }
  const uint64_t len = absl::Uint128Low64(r.size);  // < 2^64, allocated
  if (const int err = sender_.ListenerMap(iova, len, r.hva, r.perm); err != 0) {
    tree_.erase(iova);
    return err;
  }
  return 0;
}

int LegacyTranslator::RegionDel(const GuestSection& section) {
  if (config_.viommu) return 0;
  const ListenerSection ls = ClassifySection(section, config_);
  if (ls.verdict != SectionVerdict::kMap) return 0;
  if (!shadow_data_) return guest_at_gpa_.Del(ls.range);
  const ListenerRange& r = ls.range;

  // The section's HVA range, clamped at the top of the address space as the
  // old code's 64-bit arithmetic could not express more.
  uint64_t hva_last = ~uint64_t{0};
  RangeLast(r.hva, r.size, &hva_last);
  auto it = FindByHva(r.hva, hva_last, IdToMatch(section.gpa));
  if (it == tree_.end()) return 0;  // the listener never mapped it

  // THE BUG (legacy only): `it` may be another section sharing this HVA (an
  // alias). Its node goes, and the invalidation covers the deleted section's
  // length from the other node's IOVA.
  const uint64_t iova = it->first;
  tree_.erase(it);
  return sender_.ListenerUnmap(iova, r.size);
}

int LegacyTranslator::MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm,
                                    uint32_t asid) {
  const absl::uint128 len = RoundUpToPage(size, config_.page_size);
  uint64_t iova = 0;
  if (const int err = Insert(hva, len, perm, asid, kNoId, &iova); err != 0) return err;
  const uint64_t len64 = absl::Uint128Low64(len);
  if (const int err = sender_.Map(asid, iova, len64, hva, perm); err != 0) {
    tree_.erase(iova);
    return err;
  }
  return 0;
}

int LegacyTranslator::UnmapHostBuffer(uint64_t hva, uint64_t size,
                                      uint32_t asid) {
  (void)size;  // the old ring unmap took the found node's own length
  auto it = FindByHva(hva, hva, IdToMatch(kNoId));
  if (it == tree_.end()) return 0;  // never mapped (refused): QEMU only logs
  const uint64_t iova = it->first;
  const absl::uint128 len = absl::uint128(it->second.iova_last) - iova + 1;
  tree_.erase(it);
  return sender_.Unmap(asid, iova, len);
}

int LegacyTranslator::TranslateBuffer(const std::vector<Iovec>& iovecs,
                                      std::vector<uint64_t>* iovas) {
  if (iovas == nullptr) return EINVAL;
  iovas->clear();
  iovas->reserve(iovecs.size());
  for (const Iovec& v : iovecs) {
    if (v.has_gpa && !shadow_data_) {
      // No tree for guest memory at GPA: the shared lookup answers.
      uint64_t iova = 0;
      if (const int err = guest_at_gpa_.Translate(v.gpa, v.len, &iova);
          err != 0) {
        return err;
      }
      iovas->push_back(iova);
      continue;
    }
    // The old datapath ignored the GPA and searched by HVA.
    uint64_t hva_last = 0;
    if (!RangeLast(v.hva, v.len == 0 ? 1 : v.len, &hva_last)) return EFAULT;
    auto it = FindByHva(v.hva, hva_last);
    if (it == tree_.end() || v.hva < it->second.hva) return EFAULT;
    const uint64_t off = v.hva - it->second.hva;
    const absl::uint128 node_len =
        absl::uint128(it->second.iova_last) - it->first + 1;
    if (absl::uint128(off) + v.len > node_len) return EFAULT;
    iovas->push_back(it->first + off);
  }
  return 0;
}

std::vector<IovaAllocation> LegacyTranslator::Allocations() const {
  std::vector<IovaAllocation> out;
  out.reserve(tree_.size());
  for (const auto& [iova, node] : tree_) {
    out.push_back({iova, node.iova_last - iova + 1});
  }
  return out;
}

void LegacyTranslator::SetShadowData(bool enabled) { shadow_data_ = enabled; }

std::vector<LiveMapping> LegacyTranslator::LiveMappings() const {
  std::vector<LiveMapping> live;
  for (const auto& [iova, n] : tree_) {
    live.push_back({n.asid, iova, n.iova_last - iova + 1, n.hva, n.perm});
  }
  AppendLive(guest_at_gpa_.mappings(), kGuestAsid, &live);
  AppendLive(iommu_.mappings(), kGuestAsid, &live);
  return live;
}

int LegacyTranslator::DeviceReset() {
  return RecoverFromReset(config_, &sender_, LiveMappings());
}

int LegacyTranslator::IommuMap(uint64_t giova, uint64_t size, uint64_t hva,
                               uint8_t perm) {
  return iommu_.Map(giova, size, hva, perm);
}

int LegacyTranslator::IommuUnmap(uint64_t giova, uint64_t last) {
  return iommu_.Unmap(giova, last);
}

}  // namespace iovacheck
