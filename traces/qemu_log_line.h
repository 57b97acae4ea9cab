// One line of a QEMU `-trace 'vhost_vdpa_*'` log (facts section 8): reading
// lines with a bound on their length, stripping the prefix QEMU's version
// put before the event name, and parsing the arguments of the events the
// importer uses. No inference here: that is qemu_log_import's job.
#ifndef IOVACHECK_TRACES_QEMU_LOG_LINE_H_
#define IOVACHECK_TRACES_QEMU_LOG_LINE_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/iotlb_msg.h"
#include "traces/trace.pb.h"

namespace iovacheck {
namespace qemu_log {

// Real trace lines are a few hundred bytes; anything far longer is not one,
// and keeping it whole would let a file without newlines exhaust memory.
inline constexpr size_t kMaxLineBytes = 64 * 1024;

class LineReader {
 public:
  explicit LineReader(std::istream* in)
      : in_(in->rdbuf()), buf_(new char[kBlockBytes]) {}
  // The next line without its end of line ("\n" or "\r\n"); false at the end
  // of the file. *truncated: longer than kMaxLineBytes, the rest dropped.
  bool Next(std::string* line, bool* truncated);

 private:
  // 64 KiB: big enough that reads cost nothing beside parsing, small enough
  // to stay out of the allocators' (and ASan's) mmap-per-allocation range.
  static constexpr size_t kBlockBytes = 64 * 1024;
  bool Refill();

  std::streambuf* in_;
  // Read a block at a time; [pos_, end_) not yet consumed. Left unfilled:
  // zeroing the block per log cost more than a short log's whole import.
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

enum class Kind {
  kOther,  // not an event the importer uses
  kRegionAdd,
  kRegionDel,
  kUnaligned,  // region_add/del_unaligned: QEMU skipped the section
  kBeginBatch,
  kCommit,
  kDmaMap,
  kDmaUnmap,
  kIovaRange,
};

struct Line {
  Kind kind = Kind::kOther;
  absl::string_view name;  // the event name, or the first word
  absl::string_view args;  // after the name
};

// Prefixes stripped: none; "TID@SEC.USEC:" glued to the name; an ISO-8601
// UTC timestamp and a space, optionally followed by "(PID) ". The views
// point into `text`.
Line Classify(absl::string_view text);

struct RegionLine {
  uint64_t iova = 0;
  uint64_t llend = 0;  // region_add: exclusive; region_del: inclusive (as printed)
  uint64_t vaddr = 0;  // region_add only
  bool readonly = false;
};

// region_add: "vdpa: %p iova 0x.. llend 0x.. vaddr: %p read-only: %d";
// region_del: "vdpa: %p iova 0x.. llend 0x..". Refuses empty ranges.
absl::StatusOr<RegionLine> ParseRegion(absl::string_view args, bool add);

// dma_map, dma_unmap, begin_batch, commit: the one IOTLB message each
// printed (answered = false), and the device fd. `asid` may be absent (old
// QEMU: 0) and is at most 255; `type` must be the one the event sends.
struct MessageLine {
  int32_t fd = 0;
  trace::IotlbMessage msg;
};
absl::StatusOr<MessageLine> ParseMessage(absl::string_view args, Kind kind);

// get_iova_range: "dev: %p first: 0x.. last: 0x..".
struct RangeLine {
  uint64_t first = 0;
  uint64_t last = 0;
};
absl::StatusOr<RangeLine> ParseRange(absl::string_view args);

}  // namespace qemu_log
}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_QEMU_LOG_LINE_H_
