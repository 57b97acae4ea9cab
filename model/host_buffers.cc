#include "model/host_buffers.h"

#include <iterator>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"
#include "model/page_math.h"

namespace iovacheck {

std::string HostBufferToString(const HostBuffer& b) {
  return absl::StrFormat("%s hva [0x%x, +0x%x) %s asid %u",
                         b.name.empty() ? "host-buffer" : b.name, b.hva, b.size,
                         PermToString(b.perm), b.asid);
}

uint64_t HostBuffers::MappedLength(const HostBuffer& b) const {
  return absl::Uint128Low64(PageCeil(b.size, page_size_));
}

absl::Status HostBuffers::Add(const HostBuffer& buffer) {
  if (buffer.size == 0 || buffer.hva % page_size_ != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "host buffer %s must be page aligned and non-empty",
        HostBufferToString(buffer)));
  }
  const absl::uint128 rounded = PageCeil(buffer.size, page_size_);
  const absl::uint128 end = absl::uint128(buffer.hva) + rounded;
  // The device sees the page-rounded length in a 64-bit field: a buffer
  // whose rounded length is 2^64 (or that ends past 2^64) cannot be mapped.
  if (rounded > ~uint64_t{0} || end > (absl::uint128(1) << 64)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "host buffer %s wraps past 2^64 once rounded to the page",
        HostBufferToString(buffer)));
  }
  // Live buffers never overlap one another: of those starting before `end`,
  // only the last can reach back into [hva, end).
  auto next = end > ~uint64_t{0} ? buffers_.end()
                                 : buffers_.lower_bound(absl::Uint128Low64(end));
  if (next != buffers_.begin()) {
    const HostBuffer& other = std::prev(next)->second;
    const absl::uint128 other_end = absl::uint128(other.hva) + MappedLength(other);
    if (absl::uint128(buffer.hva) < other_end) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "host buffer %s overlaps live host buffer %s",
          HostBufferToString(buffer), HostBufferToString(other)));
    }
  }
  last_found_.value = nullptr;
  buffers_.emplace(buffer.hva, buffer);
  return absl::OkStatus();
}

absl::StatusOr<HostBuffer> HostBuffers::Remove(uint64_t hva, uint64_t size) {
  auto it = buffers_.find(hva);
  if (it == buffers_.end() || it->second.size != size) {
    return absl::NotFoundError(absl::StrFormat(
        "no live host buffer at hva 0x%x with size 0x%x", hva, size));
  }
  HostBuffer removed = std::move(it->second);
  last_found_.value = nullptr;
  buffers_.erase(it);
  return removed;
}

const HostBuffer* HostBuffers::Find(uint64_t hva) const {
  // Live buffers are disjoint (Add): only the last one starting at or
  // before hva can hold it.
  if (const HostBuffer* last = last_found_.value;
      last != nullptr && hva >= last->hva && hva - last->hva < MappedLength(*last)) {
    return last;
  }
  auto it = buffers_.upper_bound(hva);
  if (it == buffers_.begin()) return nullptr;
  const HostBuffer& b = std::prev(it)->second;
  if (hva - b.hva >= MappedLength(b)) return nullptr;
  last_found_.value = &b;
  return &b;
}

std::vector<HostBuffer> HostBuffers::Buffers() const {
  std::vector<HostBuffer> out;
  for (const auto& [hva, b] : buffers_) out.push_back(b);
  return out;
}

}  // namespace iovacheck
