// Reading and writing trace files.
//
// Binary traces (any name not ending in a text suffix) are the magic, a
// length-delimited Header, then length-delimited Events, read one at a time:
// memory stays proportional to one event, whatever the trace's length. In
// format version 1 each event is its protobuf bytes; in version 2 (written
// now) its compact form (compact_event_codec.h), which needs the events
// before it: a version-2 trace is read from its start. Version-1 traces
// still read, and a writer given a version-1 header writes version 1. Text
// traces (.textproto, .txtpb, .pbtxt) are one Trace message in protobuf text
// format, read whole (they are written by hand, and small).
//
// Every error names the file and where: byte offset and event index for
// binary, line and column for text. Writers write to a temporary file beside
// the target and rename it into place on Close(): a reader never sees half a
// trace, and a failed run leaves nothing behind. A device or a pipe is
// written straight through instead.
#ifndef IOVACHECK_TRACES_TRACE_IO_H_
#define IOVACHECK_TRACES_TRACE_IO_H_

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "traces/compact_event_codec.h"
#include "traces/trace.pb.h"

namespace iovacheck {

inline constexpr char kTraceMagic[] = "\x89IOVTRC\n";  // 8 bytes
inline constexpr size_t kTraceMagicSize = 8;

// Header.domain: which events a trace holds and what replays them.
inline constexpr char kVhostVdpaDomain[] = "vhost-vdpa";  // or ""
inline constexpr char kMdevDomain[] = "vfio-mdev";        // version 3 on

enum class TraceFormat { kBinary, kText };

// By the file name's suffix.
TraceFormat FormatForPath(const std::string& path);

class TraceReader {
 public:
  static absl::StatusOr<std::unique_ptr<TraceReader>> Open(const std::string& path);

  const trace::Header& header() const { return header_; }
  // The next event into *event; false at the end of the trace.
  absl::StatusOr<bool> Next(trace::Event* event);
  // The index the next event will have (events read so far).
  uint64_t events_read() const { return events_read_; }
  const std::string& path() const { return path_; }
  TraceFormat format() const { return format_; }

 private:
  TraceReader() = default;
  absl::Status OpenBinary();
  absl::Status OpenText();
  absl::Status CheckHeader();
  absl::Status Error(const std::string& what) const;
  // Reads one varint length prefix; false at a clean end of file.
  absl::StatusOr<bool> ReadLength(uint64_t* length);
  // Reads up to `length` bytes into *out; returns how many came.
  uint64_t ReadUpTo(uint64_t length, std::string* out);
  absl::StatusOr<bool> NextCompact(trace::Event* event);

  std::string path_;
  TraceFormat format_ = TraceFormat::kBinary;
  std::ifstream in_;
  uint64_t offset_ = 0;  // binary: bytes consumed
  trace::Header header_;
  trace::Trace text_;    // text: the whole trace
  uint64_t events_read_ = 0;
  CompactEventDecoder compact_;  // binary version 2
  std::string bytes_;            // version 1: one event's; 2: one block's
  uint64_t block_offset_ = 0;    // of bytes_[0] in the file
  size_t block_pos_ = 0;
  uint64_t block_events_left_ = 0;
  uint64_t block_expected_ = 0;  // the block's length as its prefix says
};

class TraceWriter {
 public:
  // The format follows the path's suffix.
  static absl::StatusOr<std::unique_ptr<TraceWriter>> Create(const std::string& path,
                                                             const trace::Header& header);
  // For a producer that knows the header only at the end (a simulation's
  // verdict goes in it): events are streamed to a second temporary file as
  // they come, and Close() writes the header given by set_header() in front
  // of them. Memory stays proportional to one event.
  static absl::StatusOr<std::unique_ptr<TraceWriter>> CreateWithLateHeader(
      const std::string& path);
  void set_header(const trace::Header& header);
  ~TraceWriter();  // without Close(), the temporary file is removed

  absl::Status Append(const trace::Event& event);
  // Text traces only: '#' comment lines written before the message.
  void set_leading_comment(const std::string& comment) { comment_ = comment; }
  // Flushes and renames into place (a device or a pipe is written through
  // as it is: nothing is renamed over it).
  absl::Status Close();

 private:
  TraceWriter() = default;
  // The writer with its temporary file open, nothing written yet.
  static absl::StatusOr<std::unique_ptr<TraceWriter>> Open(const std::string& path);
  // Where writes go now, for error messages.
  const std::string& writing() const { return temp_path_.empty() ? path_ : temp_path_; }
  absl::Status WriteDelimited(std::ofstream& out, const google::protobuf::Message& message);
  absl::Status FlushBlock(std::ofstream& out);

  std::string path_;
  std::string target_;     // the regular file replaced: path_, its link resolved
  std::string temp_path_;  // empty when writing straight to a device or pipe
  TraceFormat format_ = TraceFormat::kBinary;
  std::ofstream out_;
  // With a late header: the binary events, until Close() puts them behind it.
  std::string spool_path_;
  std::ofstream spool_;
  bool compact_ = true;  // binary: version 2's event encoding
  CompactEventEncoder encoder_;
  // Version 2 writes events in blocks of about this many bytes.
  static constexpr size_t kBlockBytes = 64 << 10;
  std::string block_;
  uint64_t block_events_ = 0;
  bool header_set_ = true;
  trace::Header late_header_;
  trace::Trace text_;
  std::string comment_;
  bool closed_ = false;
};

// Reads a whole trace (either format) into one message; for small traces.
absl::StatusOr<trace::Trace> ReadWholeTrace(const std::string& path);
// Writes a whole trace atomically in the format the path's suffix names.
absl::Status WriteWholeTrace(const std::string& path, const trace::Trace& trace,
                             const std::string& leading_comment = "");

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_TRACE_IO_H_
