#include "mdev/array_tracker.h"

#include <cerrno>

#include "translator/range_lookup.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;

}  // namespace

ArrayTracker::ArrayTracker(VfioType1Container* container, PinPolicy policy)
    : container_(container), policy_(policy) {}

std::pair<ArrayTracker::Regions::iterator, ArrayTracker::Page*> ArrayTracker::At(uint64_t gpa) {
  auto it = FindContaining(regions_, [](const Region& r) { return r.last; }, gpa);
  if (it == regions_.end()) return {it, nullptr};
  return {it, &it->second.pages[(gpa - it->first) / kPage]};
}

int ArrayTracker::RegionMapped(uint64_t iova, uint64_t size) {
  const VfioDma* dma = container_->Find(iova);
  if (dma == nullptr || dma->iova != iova || dma->size != size) return EINVAL;
  Region region{iova + size - 1, dma->prot, std::vector<Page>(size / kPage)};
  if (policy_ == PinPolicy::kPinAll) {
    const VfioPinResult pinned =
        container_->PinPages(iova, static_cast<int>(size / kPage), dma->prot);
    if (pinned.err != 0) return pinned.err;
    for (size_t i = 0; i < region.pages.size(); ++i) {
      region.pages[i] = Page{pinned.pages[i], 0, true};
    }
    pins_ += region.pages.size();
  }
  regions_[iova] = std::move(region);
  return 0;
}

int ArrayTracker::Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) {
  auto [region, page] = At(gpa);
  // A page of no region it was told of: type1 would refuse its pin too.
  if (page == nullptr) return policy_ == PinPolicy::kPinAll ? EFAULT : EINVAL;
  if ((region->second.prot & prot) != prot) return EPERM;
  const uint64_t page_gpa = gpa & ~(kPage - 1);
  if (!page->pinned) {
    const VfioPinResult pinned = container_->PinPages(page_gpa, 1, region->second.prot);
    if (pinned.err != 0) return pinned.err;
    *page = Page{pinned.pages[0], 0, true};
    ++pins_;
  }
  if (policy_ == PinPolicy::kPinSparse) ++page->users;
  *vaddr = page->vaddr + (gpa - page_gpa);
  return 0;
}

void ArrayTracker::Unpin(uint64_t page_gpa, Page& page) {
  container_->UnpinPages(page_gpa, 1);
  --pins_;
  page = Page{};
}

void ArrayTracker::Release(uint64_t gpa) {
  if (policy_ != PinPolicy::kPinSparse) return;
  auto [region, page] = At(gpa);
  if (page == nullptr || page->users == 0) return;
  if (--page->users == 0) Unpin(gpa & ~(kPage - 1), *page);
}

void ArrayTracker::DmaUnmap(uint64_t iova, uint64_t size) {
  auto [it, page] = At(iova);
  if (it == regions_.end()) it = regions_.upper_bound(iova);
  while (it != regions_.end() && (it->first < iova || it->first - iova < size)) {
    for (size_t i = 0; i < it->second.pages.size(); ++i) {
      if (it->second.pages[i].pinned) Unpin(it->first + i * kPage, it->second.pages[i]);
    }
    it = regions_.erase(it);
  }
}

std::optional<uint64_t> ArrayTracker::Lookup(uint64_t gpa) const {
  auto it = FindContaining(regions_, [](const Region& r) { return r.last; }, gpa);
  if (it == regions_.end()) return std::nullopt;
  const Page& page = it->second.pages[(gpa - it->first) / kPage];
  if (!page.pinned) return std::nullopt;
  return page.vaddr + (gpa & (kPage - 1));
}

std::vector<std::pair<uint64_t, uint64_t>> ArrayTracker::HeldRanges() const {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const auto& [start, region] : regions_) {
    for (size_t i = 0; i < region.pages.size(); ++i) {
      if (region.pages[i].pinned) out.push_back({start + i * kPage, kPage});
    }
  }
  return out;
}

}  // namespace iovacheck
