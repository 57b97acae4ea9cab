#include "translator/host_iova_trees.h"

#include <cerrno>

#include "translator/address_math.h"
#include "translator/range_lookup.h"

namespace iovacheck {
namespace {

template <typename Mapping>
uint64_t HostLast(const Mapping& m) {
  return m.hva_last;
}

}  // namespace

int HostIovaTrees::Map(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) {
  const absl::uint128 len = RoundUpToPage(size, page_size_);
  uint64_t hva_last = 0;
  if (perm == kPermNone || !RangeLast(hva, len, &hva_last)) return EINVAL;
  // One HVA -> IOVA answer per address space, or lookups become ambiguous.
  if (auto space = host_.find(asid);
      space != host_.end() &&
      OverlapsAny(space->second, HostLast<HostMapping>, hva, hva_last)) {
    return EEXIST;
  }

  uint64_t iova = 0;
  if (const int err = allocator_->Allocate(len, &iova); err != 0) return err;
  const uint64_t len64 = absl::Uint128Low64(len);
  if (const int err = sender_->Map(asid, iova, len64, hva, perm); err != 0) {
    allocator_->Remove(iova, len64);
    return err;
  }
  host_[asid].emplace(hva, HostMapping{hva_last, iova, perm});
  return 0;
}

int HostIovaTrees::Unmap(uint64_t hva, uint64_t size, uint32_t asid) {
  (void)size;  // the mapping knows its own length (size rounded to the page)
  // A buffer that was never mapped (its UPDATE was refused) has nothing to
  // undo: QEMU's SVQ unmap only logs it, like region_del of a skipped section.
  auto space = host_.find(asid);
  if (space == host_.end()) return 0;
  HostMap& map = space->second;
  auto it = FindContaining(map, HostLast<HostMapping>, hva);
  if (it == map.end()) return 0;

  const uint64_t iova = it->second.iova;
  const absl::uint128 len = absl::uint128(it->second.hva_last) - it->first + 1;
  map.erase(it);
  if (map.empty()) host_.erase(space);
  allocator_->Remove(iova, len);
  return sender_->Unmap(asid, iova, len);
}

int HostIovaTrees::Translate(uint64_t hva, uint64_t last, uint64_t* iova) const {
  // The buffer does not say which address space it belongs to; the lowest
  // one that holds it whole answers.
  for (const auto& [asid, map] : host_) {
    auto it = FindContaining(map, HostLast<HostMapping>, hva);
    if (it != map.end() && last <= it->second.hva_last) {
      *iova = it->second.iova + (hva - it->first);
      return 0;
    }
  }
  return EFAULT;
}

void HostIovaTrees::AppendLive(std::vector<LiveMapping>* live) const {
  for (const auto& [asid, map] : host_) {
    for (const auto& [hva, m] : map) {
      live->push_back({asid, m.iova, m.hva_last - hva + 1, hva, m.perm});
    }
  }
}

}  // namespace iovacheck
