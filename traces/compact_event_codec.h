// Trace format version 2's encoding of one event (binary traces): the same
// trace::Event, in about a third of version 1's bytes. Addresses and sizes
// are zigzag varints of their difference from the last value of their kind
// (a few registers: GPA, HVA, IOVA, size, length), which a trace's events
// keep close; the HVA of guest memory is predicted from the live sections
// the trace itself added; section, buffer and fault-site names are written
// once and then named by their index; what a message's type implies (a
// batch message's zero fields) is not written. An event this cannot hold
// exactly (an unknown field, a message version or type out of range) is
// written as its version-1 protobuf bytes behind an escape tag, so every
// event round-trips. Events delimit themselves: a file holds them in
// blocks (trace_io.cc), not one length prefix each.
//
// Encoder and decoder keep the same context, so they must see the same
// events in the same order, from the first.
#ifndef IOVACHECK_TRACES_COMPACT_EVENT_CODEC_H_
#define IOVACHECK_TRACES_COMPACT_EVENT_CODEC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "traces/kept_messages.h"
#include "traces/trace.pb.h"

namespace iovacheck {

// The trace format this iovacheck writes: 3, events in the compact form
// below (since 2) and the mdev domain (since 3, trace.proto). Versions 1
// (events as protobuf bytes) and 2 still read.
inline constexpr uint32_t kTraceFormatVersion = 3;

class CompactEventContext {
 public:
  enum Register { kGpa, kHva, kIova, kSize, kLen, kRegisters };
  uint64_t& reg(Register r) { return regs_[r]; }

  // Names: an index for every name seen, up to a bound (memory stays flat
  // whatever a producer names things); later new names go literally.
  static constexpr size_t kMaxNames = 4096;
  // The index of `name`, or -1.
  int64_t NameIndex(const std::string& name) const;
  const std::string* NameAt(uint64_t index) const;
  void AddName(const std::string& name);
  bool NamesFull() const { return names_.size() >= kMaxNames; }

  // The HVA the live sections put `gpa` at, if a section holds it.
  bool HvaOf(uint64_t gpa, uint64_t* hva) const;
  // The IOVA the translator mapped the memory at `hva` at, as the UPDATE
  // sent for the live section or buffer starting there said.
  bool IovaOf(uint64_t hva, uint64_t* iova) const;
  // The IOVA of an address inside a live section (by GPA) or buffer (by
  // HVA), where the UPDATE sent for it is known.
  bool IovaOfGuest(uint64_t gpa, uint64_t* iova) const;
  bool IovaOfHost(uint64_t hva, uint64_t* iova) const;

  // The live section at exactly this GPA, or the last one removed from it
  // (a flat view re-rendered removes and adds the same sections); the same
  // for host buffers by HVA.
  const trace::Section* LiveSection(uint64_t gpa) const;
  const trace::Section* RemovedSection(uint64_t gpa) const;
  const trace::HostBuffer* LiveBuffer(uint64_t hva) const;
  const trace::HostBuffer* RemovedBuffer(uint64_t hva) const;

  // Sections and buffers come and go with their events.
  void AfterEvent(const trace::Event& event);

 private:
  // What is kept of the removed: bounded, so that memory follows the live
  // mappings (emptied whole when full, on both sides alike).
  static constexpr size_t kMaxRemembered = 4096;

  uint64_t regs_[kRegisters] = {};
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, uint64_t> name_index_;
  KeptMessages<trace::Section> sections_{kMaxRemembered};    // by GPA
  KeptMessages<trace::HostBuffer> buffers_{kMaxRemembered};  // by HVA
  absl::flat_hash_map<uint64_t, uint64_t> iova_of_hva_;  // live sections' and buffers'
};

class CompactEventEncoder {
 public:
  // Appends the event's bytes to *out.
  void Encode(const trace::Event& event, std::string* out);

 private:
  CompactEventContext ctx_;
};

// The message of each kind of event, kept between events: protobuf's
// Event::Clear() frees the message its oneof holds and the next event of
// that kind allocates it again, a malloc and a free per event read. Parked
// here instead, a kind's message is reused, and so are a region's section
// and a host buffer (with their names' buffers), which a proto3 Clear()
// would free as well.
class EventKindMessages {
 public:
  // Takes the kind's message out of `event` (which then holds none).
  void Park(trace::Event* event);
  // Gives `event`, which holds no kind, an emptied message of `kind` if one
  // is parked; otherwise mutable_*() allocates one as usual.
  void Lend(int kind, trace::Event* event);

 private:
  std::unique_ptr<trace::ListenerBegin> listener_begin_;
  std::unique_ptr<trace::ListenerCommit> listener_commit_;
  std::unique_ptr<trace::DeviceReset> device_reset_;
  std::unique_ptr<trace::RegionAdd> region_add_;
  std::unique_ptr<trace::RegionDel> region_del_;
  std::unique_ptr<trace::HostMap> host_map_;
  std::unique_ptr<trace::HostUnmap> host_unmap_;
  std::unique_ptr<trace::Translate> translate_;
  std::unique_ptr<trace::DeviceDma> device_dma_;
  std::unique_ptr<trace::ShadowData> shadow_data_;
  std::unique_ptr<trace::IommuMap> iommu_map_;
  std::unique_ptr<trace::IommuUnmap> iommu_unmap_;
};

class CompactEventDecoder {
 public:
  // Decodes the event starting at bytes[*pos] and moves *pos past it.
  absl::Status Decode(absl::string_view bytes, size_t* pos, trace::Event* event);

 private:
  CompactEventContext ctx_;
  EventKindMessages kinds_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_COMPACT_EVENT_CODEC_H_
