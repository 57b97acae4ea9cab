// Imports the log of a QEMU run with `-trace 'vhost_vdpa_*'` (log backend)
// as a trace whose inputs are the listener and host-memory events QEMU saw
// and whose recorded outputs are the IOTLB messages QEMU wrote, so that
// `replay --recorded` can judge a real QEMU run (facts section 8).
//
// Line prefixes accepted: none; `TID@SEC.USEC:` glued to the event name; an
// ISO-8601 UTC timestamp and a space, optionally followed by `(PID) `. Field
// spellings accepted: `vdpa_shared:%p`, `vdpa:%p`, `vdpa: %p`; `%p` as `0x..`
// or `(nil)`; dma_map/dma_unmap with or without `asid:` (old QEMU: asid 0).
// Other events and other text are counted and ignored; `_unaligned` region
// events are counted and ignored (QEMU skipped those sections).
//
// What the log does not say, and how it is inferred:
// - Transactions. QEMU traces no listener begin. A ListenerBegin is
//   synthesized before a region event outside a transaction. A transaction
//   that sent BATCH_BEGIN ends at `vhost_vdpa_listener_commit` (a
//   ListenerCommit carrying BATCH_END); one that did not is closed by a
//   synthesized ListenerCommit before the next region event, before any
//   host-memory event and at the end of the log.
// - Which event sent a message. QEMU logs region_add/region_del before its
//   begin_batch and dma_map/dma_unmap lines, so BATCH_BEGIN goes to the most
//   recent region event of the open transaction, and that event's own
//   message (one UPDATE for region_add, one INVALIDATE for region_del) is
//   the first dma_map/dma_unmap of that type after it. Attribution is by
//   position, not by content: a wrong UPDATE/INVALIDATE (the aliasing bug)
//   stays on the region event that sent it, where the oracle can judge it.
//   When a region line is skipped (malformed, or contradicting the live
//   sections), its own message is skipped with it rather than taken for
//   host memory.
// - Host-only memory. SVQ vrings and CVQ buffers have no listener trace. A
//   dma_map that is not a region event's own message is host memory: a
//   host_map {hva = uaddr, size, perm, asid} carrying that UPDATE. A
//   dma_unmap that is not a region event's own message is a host_unmap of
//   the host buffer that was mapped at that (asid, iova), carrying the
//   INVALIDATE. (A vIOMMU's notifier maps would be imported the same way.)
// - Answers. QEMU does not log what write() returned: every message is
//   recorded with answered = false.
// - The device. `vhost_vdpa_get_iova_range` gives the IOVA range (default
//   [0, 2^64-1]); page size 4096; IOTLB_MSG_V2 if any message was v2,
//   IOTLB_BATCH if any begin_batch, IOTLB_ASID if any asid > 0; address
//   spaces = max asid + 1; a dma_map device.
//
// Line syntax is qemu_log_line.h's. One vhost-vdpa device per log: lines from several devices (distinct `fd:`)
// are merged, with a warning.
#ifndef IOVACHECK_TRACES_QEMU_LOG_IMPORT_H_
#define IOVACHECK_TRACES_QEMU_LOG_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "traces/trace.pb.h"

namespace iovacheck {

struct ImportOptions {
  // A known event line that does not parse, or contradicts what came before
  // (region_del of a section never added, an unmap of nothing mapped, a
  // commit outside a transaction), is fatal instead of a skipped warning.
  bool strict = false;
};

struct ImportStats {
  uint64_t lines = 0;      // every line of the log
  uint64_t events = 0;     // events in the trace, synthesized ones included
  uint64_t messages = 0;   // recorded IOTLB messages
  uint64_t ignored = 0;    // unrelated lines: other events, other text, blank
  uint64_t unaligned = 0;  // _unaligned region events (QEMU skipped them)
  uint64_t malformed = 0;  // known event lines skipped (not strict)
  // "LOG:LINE: message": the skipped lines, and inferences worth a look
  // (a batch closed without commit, several devices in one log, ...).
  std::vector<std::string> warnings;
};

// Reads the log at `path`. Errors: the file cannot be read (NotFound /
// InvalidArgument naming it); with `strict`, the first bad line
// (InvalidArgument "LOG:LINE: ..."). `stats` may be null.
absl::StatusOr<trace::Trace> ImportQemuLog(const std::string& path,
                                           const ImportOptions& options,
                                           ImportStats* stats);

// The same, streaming: each event goes to `sink` as soon as it is final
// (memory stays flat whatever the log's length), and the header, which is
// inferred from the whole log, comes back at the end. The first error the
// sink returns ends the import.
using ImportedEventSink = std::function<absl::Status(trace::Event)>;
absl::StatusOr<trace::Header> ImportQemuLogStreaming(const std::string& path,
                                                     const ImportOptions& options,
                                                     ImportStats* stats,
                                                     const ImportedEventSink& sink);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_QEMU_LOG_IMPORT_H_
