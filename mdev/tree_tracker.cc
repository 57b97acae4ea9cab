#include "mdev/tree_tracker.h"

#include <cerrno>

#include "translator/range_lookup.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;

template <typename Ranges>
auto Holding(Ranges& ranges, uint64_t gpa) {
  return FindContaining(ranges, [](const auto& r) { return r.last; }, gpa);
}

}  // namespace

TreeTracker::TreeTracker(VfioType1Container* container, PinPolicy policy)
    : container_(container), policy_(policy) {}

int TreeTracker::RegionMapped(uint64_t iova, uint64_t size) {
  if (policy_ != PinPolicy::kPinAll) return 0;
  const VfioDma* dma = container_->Find(iova);
  if (dma == nullptr || dma->iova != iova || dma->size != size) return EINVAL;
  const VfioPinResult pinned = container_->PinPages(iova, static_cast<int>(size / kPage), dma->prot);
  if (pinned.err != 0) return pinned.err;
  ranges_[iova] = Range{iova + size - 1, dma->vaddr, dma->prot, 0};
  pins_ += size / kPage;
  return 0;
}

int TreeTracker::Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) {
  auto it = Holding(ranges_, gpa);
  if (it == ranges_.end()) {
    // Pin-all holds every mapped page already: this one is in no region.
    if (policy_ == PinPolicy::kPinAll) return EFAULT;
    // Pin-sparse: the first use pins the page with all its region allows,
    // so that a later use wanting more needs no second pin.
    const uint64_t page = gpa & ~(kPage - 1);
    const VfioDma* dma = container_->Find(page);
    const VfioPinResult pinned = container_->PinPages(page, 1, dma ? dma->prot : prot);
    if (pinned.err != 0) return pinned.err;
    ++pins_;
    it = ranges_.emplace(page, Range{page + kPage - 1, pinned.pages[0], dma ? dma->prot : prot, 0})
             .first;
  }
  Range& r = it->second;
  if ((r.prot & prot) != prot) {
    if (policy_ == PinPolicy::kPinSparse && r.users == 0) Drop(it);
    return EPERM;
  }
  if (policy_ == PinPolicy::kPinSparse) ++r.users;
  *vaddr = r.vaddr + (gpa - it->first);
  return 0;
}

void TreeTracker::Release(uint64_t gpa) {
  if (policy_ != PinPolicy::kPinSparse) return;
  auto it = Holding(ranges_, gpa);
  if (it == ranges_.end() || it->second.users == 0) return;
  if (--it->second.users == 0) Drop(it);
}

TreeTracker::Ranges::iterator TreeTracker::Drop(Ranges::iterator it) {
  const uint64_t pages = (it->second.last - it->first) / kPage + 1;
  container_->UnpinPages(it->first, static_cast<int>(pages));
  pins_ -= pages;
  return ranges_.erase(it);
}

void TreeTracker::DmaUnmap(uint64_t iova, uint64_t size) {
  // Every range overlapping [iova, iova + size): a range never straddles a
  // region, and type1 names whole regions.
  auto it = Holding(ranges_, iova);
  if (it == ranges_.end()) it = ranges_.upper_bound(iova);
  while (it != ranges_.end() && (it->first < iova || it->first - iova < size)) it = Drop(it);
}

std::optional<uint64_t> TreeTracker::Lookup(uint64_t gpa) const {
  auto it = Holding(ranges_, gpa);
  if (it == ranges_.end()) return std::nullopt;
  return it->second.vaddr + (gpa - it->first);
}

std::vector<std::pair<uint64_t, uint64_t>> TreeTracker::HeldRanges() const {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const auto& [start, r] : ranges_) out.push_back({start, r.last - start + 1});
  return out;
}

}  // namespace iovacheck
