// Seed 004's alternative to a third tree: every SVQ vring area and CVQ
// buffer lives in one host arena, mirrored by one IOVA window reserved up
// front, so a host buffer's IOVA is arithmetic (window IOVA + offset of the
// buffer in the arena) instead of a tree lookup. Each buffer is still its
// own IOTLB entry with its own permission: a driver area stays read-only to
// the device. What the window needs to know per page is only which buffer,
// if any, holds it in each address space.
//
// The window is placed at the top of the device's IOVA range, so guest
// memory below it is laid out exactly as QEMU's first fit lays it out. A
// buffer outside the arena, or past a window too small for it, is refused
// with ENOMEM (nothing is sent, nothing is kept).
#ifndef IOVACHECK_TRANSLATOR_SVQ_WINDOW_H_
#define IOVACHECK_TRANSLATOR_SVQ_WINDOW_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/device_config.h"
#include "translator/host_buffer_map.h"
#include "translator/iotlb_sender.h"

namespace iovacheck {

// The host arena the window mirrors: [arena_hva, arena_hva + bytes).
struct SvqWindowLayout {
  uint64_t arena_hva = 0;
  uint64_t bytes = 0;  // a multiple of the page size
};

// What QEMU would have to reserve, knowing only the device at realize time:
// every virtqueue the device may shadow at once (max_queue_pairs pairs and
// the CVQ), each with its driver area (descriptor table and avail ring) and
// device area (used ring) page-rounded apart, at its largest queue size,
// and the CVQ's two buffers (command out, status in) of a page each.
uint64_t SvqWindowBytesFor(uint32_t max_queue_pairs, uint32_t queue_size, uint64_t page_size);

// The window's first IOVA at the top of the device's range, or nullopt when
// the range cannot hold it above the allocatable floor.
std::optional<uint64_t> PlaceSvqWindow(const DeviceConfig& config, uint64_t bytes);

class SvqWindow : public HostBufferMap {
 public:
  // iova: the window's first IOVA (PlaceSvqWindow), or nullopt when it got
  // none: then every buffer is refused. sender is not owned.
  SvqWindow(const DeviceConfig& config, const SvqWindowLayout& layout,
            std::optional<uint64_t> iova, IotlbSender* sender);

  int Map(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override;
  int Unmap(uint64_t hva, uint64_t size, uint32_t asid) override;
  int Translate(uint64_t hva, uint64_t last, uint64_t* iova) const override;
  void AppendLive(std::vector<LiveMapping>* live) const override;
  // One allocation per buffer mapped, per address space: the reservation
  // itself is not a mapping and is not listed.
  void AppendAllocations(std::vector<IovaAllocation>* out) const override;
  void JournalTo(std::vector<AllocationChange>* journal) override { journal_ = journal; }

 private:
  // One per page of the window in an address space.
  struct Page {
    uint32_t head = 0;   // 1 + the first page of the buffer holding it; 0: free
    uint32_t pages = 0;  // at the head: the buffer's length in pages
    uint8_t perm = 0;    // at the head
  };
  using Space = std::vector<Page>;

  // The window page of hva and of last, when both fall inside the window.
  bool PagesOf(uint64_t hva, uint64_t last, uint64_t* first, uint64_t* last_page) const;
  uint64_t IovaOfPage(uint64_t page) const { return *iova_ + page * page_size_; }
  void Journal(uint64_t iova, uint64_t len, bool added);

  uint64_t page_size_;
  SvqWindowLayout layout_;
  std::optional<uint64_t> iova_;
  IotlbSender* sender_;
  absl::btree_map<uint32_t, Space> spaces_;  // by asid, made on first use
  std::vector<AllocationChange>* journal_ = nullptr;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_SVQ_WINDOW_H_
