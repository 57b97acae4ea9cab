#include "translator/svq_window.h"

#include <cerrno>

#include "translator/address_math.h"
#include "translator/iova_allocator.h"

namespace iovacheck {
namespace {

uint64_t PageRound(uint64_t bytes, uint64_t page) { return (bytes + page - 1) / page * page; }

}  // namespace

uint64_t SvqWindowBytesFor(uint32_t max_queue_pairs, uint32_t queue_size, uint64_t page_size) {
  const uint64_t n = queue_size;
  // Split ring: 16-byte descriptors, then avail (flags, idx, n entries of 2,
  // used_event); used (flags, idx, n entries of 8, avail_event).
  const uint64_t driver_area = PageRound(16 * n + 6 + 2 * n, page_size);
  const uint64_t device_area = PageRound(6 + 8 * n, page_size);
  const uint64_t virtqueues = 2 * uint64_t{max_queue_pairs} + 1;  // and the CVQ
  return virtqueues * (driver_area + device_area) + 2 * page_size;
}

std::optional<uint64_t> PlaceSvqWindow(const DeviceConfig& config, uint64_t bytes) {
  const uint64_t floor = AllocatableIovaFirst(config);
  if (bytes == 0 || config.iova_last < floor || config.iova_last - floor < bytes) {
    return std::nullopt;  // no room, or none left below it for guest memory
  }
  // The last `bytes` of the range, its start rounded down to a page.
  const uint64_t start = (config.iova_last - bytes + 1) & config.page_mask();
  if (start <= floor) return std::nullopt;
  return start;
}

SvqWindow::SvqWindow(const DeviceConfig& config, const SvqWindowLayout& layout,
                     std::optional<uint64_t> iova, IotlbSender* sender)
    : page_size_(config.page_size), layout_(layout), iova_(iova), sender_(sender) {}

bool SvqWindow::PagesOf(uint64_t hva, uint64_t last, uint64_t* first, uint64_t* last_page) const {
  if (!iova_ || hva < layout_.arena_hva || last < hva) return false;
  const uint64_t offset_last = last - layout_.arena_hva;
  if (offset_last >= layout_.bytes) return false;  // past the window's end
  *first = (hva - layout_.arena_hva) / page_size_;
  *last_page = offset_last / page_size_;
  return true;
}

void SvqWindow::Journal(uint64_t iova, uint64_t len, bool added) {
  if (journal_ != nullptr) journal_->push_back({{iova, len}, added});
}

int SvqWindow::Map(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) {
  const absl::uint128 len = RoundUpToPage(size, page_size_);
  uint64_t hva_last = 0;
  // The arena hands out whole pages; a buffer that starts inside one is
  // not from it.
  if (perm == kPermNone || hva % page_size_ != 0 || !RangeLast(hva, len, &hva_last)) {
    return EINVAL;
  }
  uint64_t first = 0;
  uint64_t last = 0;
  // Outside the arena, or the window too small to reach it: the design has
  // no IOVA for this buffer.
  if (!PagesOf(hva, hva_last, &first, &last)) return ENOMEM;
  Space& space = spaces_[asid];
  if (space.empty()) space.resize(layout_.bytes / page_size_);
  for (uint64_t p = first; p <= last; ++p) {
    if (space[p].head != 0) return EEXIST;  // one buffer per HVA and address space
  }
  const uint64_t iova = IovaOfPage(first);
  const uint64_t len64 = absl::Uint128Low64(len);
  if (const int err = sender_->Map(asid, iova, len64, hva, perm); err != 0) return err;
  for (uint64_t p = first; p <= last; ++p) space[p].head = static_cast<uint32_t>(first + 1);
  space[first].pages = static_cast<uint32_t>(last - first + 1);
  space[first].perm = perm;
  Journal(iova, len64, true);
  return 0;
}

int SvqWindow::Unmap(uint64_t hva, uint64_t size, uint32_t asid) {
  (void)size;  // the buffer knows its own length
  uint64_t page = 0;
  uint64_t unused = 0;
  auto it = spaces_.find(asid);
  // Never mapped (refused, or outside the window): nothing to undo.
  if (it == spaces_.end() || !PagesOf(hva, hva, &page, &unused)) return 0;
  Space& space = it->second;
  if (space[page].head == 0) return 0;
  const uint64_t first = space[page].head - 1;
  const uint64_t pages = space[first].pages;
  for (uint64_t p = first; p < first + pages; ++p) space[p] = Page{};
  const uint64_t len = pages * page_size_;
  Journal(IovaOfPage(first), len, false);
  return sender_->Unmap(asid, IovaOfPage(first), len);
}

int SvqWindow::Translate(uint64_t hva, uint64_t last, uint64_t* iova) const {
  uint64_t first = 0;
  uint64_t last_page = 0;
  if (!PagesOf(hva, last, &first, &last_page)) return EFAULT;
  for (const auto& [asid, space] : spaces_) {
    const uint32_t head = space[first].head;
    // Held whole: its last page belongs to the same buffer.
    if (head != 0 && space[last_page].head == head) {
      *iova = *iova_ + (hva - layout_.arena_hva);
      return 0;
    }
  }
  return EFAULT;
}

void SvqWindow::AppendLive(std::vector<LiveMapping>* live) const {
  for (const auto& [asid, space] : spaces_) {
    for (uint64_t p = 0; p < space.size(); p += space[p].head != 0 ? space[p].pages : 1) {
      if (space[p].head == 0) continue;
      live->push_back({asid, IovaOfPage(p), space[p].pages * page_size_,
                       layout_.arena_hva + p * page_size_, space[p].perm});
    }
  }
}

void SvqWindow::AppendAllocations(std::vector<IovaAllocation>* out) const {
  for (const auto& [asid, space] : spaces_) {
    for (uint64_t p = 0; p < space.size(); p += space[p].head != 0 ? space[p].pages : 1) {
      if (space[p].head != 0) out->push_back({IovaOfPage(p), space[p].pages * page_size_});
    }
  }
}

}  // namespace iovacheck
