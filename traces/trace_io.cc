#include "traces/trace_io.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "model/errno_text.h"
#include "traces/output_file.h"
#include "traces/temp_files.h"
#include "traces/utf8.h"

namespace iovacheck {
namespace {

// A header's strings describe where a trace came from (a path, a plug-in's
// file name) and may hold bytes that are not UTF-8, which would make the
// file unreadable: those bytes are written escaped.
trace::Header Readable(const trace::Header& header) {
  trace::Header out = header;
  EscapeNonUtf8Strings(&out);
  return out;
}


// No single message in a trace comes near this; a larger prefix is garbage.
constexpr uint64_t kMaxMessageBytes = 64 << 20;

class CollectFirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrFormat("line %d column %d: %s", line + 1, column + 1, message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

TraceFormat FormatForPath(const std::string& path) {
  for (const char* suffix : {".textproto", ".txtpb", ".pbtxt"}) {
    if (absl::EndsWith(path, suffix)) return TraceFormat::kText;
  }
  return TraceFormat::kBinary;
}

absl::Status TraceReader::Error(const std::string& what) const {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path_, what));
}

absl::StatusOr<std::unique_ptr<TraceReader>> TraceReader::Open(const std::string& path) {
  // Every parse failure comes back as our own one-line error naming the file
  // and the place; protobuf's log lines on stderr would only add noise.
  static const bool silenced = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)silenced;
  std::unique_ptr<TraceReader> r(new TraceReader());
  r->path_ = path;
  r->format_ = FormatForPath(path);
  // Said plainly, before a format's reader makes less sense of it.
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: is a directory, not a trace", path));
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: empty file, not a trace", path));
    }
  }
  r->in_.open(path, std::ios::binary);
  if (!r->in_) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot open: %s", path, ErrnoText(errno)));
  }
  absl::Status s = r->format_ == TraceFormat::kBinary ? r->OpenBinary() : r->OpenText();
  if (!s.ok()) return s;
  if (absl::Status h = r->CheckHeader(); !h.ok()) return h;
  return r;
}

absl::Status TraceReader::OpenBinary() {
  char magic[kTraceMagicSize] = {};
  in_.read(magic, kTraceMagicSize);
  if (in_.gcount() != static_cast<std::streamsize>(kTraceMagicSize) ||
      std::memcmp(magic, kTraceMagic, kTraceMagicSize) != 0) {
    const bool looks_text = in_.gcount() > 0 && (std::isalpha(magic[0]) ||
                                                 magic[0] == '#' || magic[0] == ' ');
    return Error(absl::StrFormat(
        "byte 0: not a binary iovacheck trace (no magic)%s",
        looks_text ? "; it looks like text: name text traces *.textproto" : ""));
  }
  offset_ = kTraceMagicSize;
  uint64_t length = 0;
  absl::StatusOr<bool> got = ReadLength(&length);
  if (!got.ok()) return got.status();
  if (!*got) return Error(absl::StrFormat("byte %u: no header", offset_));
  std::string bytes;
  if (const uint64_t got_bytes = ReadUpTo(length, &bytes); got_bytes != length) {
    return Error(absl::StrFormat("byte %u: header truncated (%u of %u bytes)", offset_,
                                 got_bytes, length));
  }
  if (!header_.ParseFromString(bytes)) {
    return Error(absl::StrFormat("byte %u: header is not a valid Header message", offset_));
  }
  offset_ += length;
  return absl::OkStatus();
}

absl::Status TraceReader::OpenText() {
  std::stringstream buffer;
  buffer << in_.rdbuf();
  const std::string text = buffer.str();
  if (text.compare(0, kTraceMagicSize, std::string(kTraceMagic, kTraceMagicSize)) == 0) {
    return Error("byte 0: this is a binary trace; give it a name without a text suffix");
  }
  CollectFirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &text_)) {
    return Error(errors.error().empty() ? "not a text-format Trace" : errors.error());
  }
  // Parsed text may hold any byte in a string ("\\377"), which a binary
  // trace could not carry back: refused here, where it comes in.
  if (absl::Status u = CheckUtf8Strings(text_.header()); !u.ok()) {
    return Error(absl::StrCat("header: ", u.message()));
  }
  for (int i = 0; i < text_.events_size(); ++i) {
    if (absl::Status u = CheckUtf8Strings(text_.events(i)); !u.ok()) {
      return Error(absl::StrFormat("event %d: %s", i, u.message()));
    }
  }
  header_ = text_.header();
  return absl::OkStatus();
}

absl::Status TraceReader::CheckHeader() {
  if (header_.format_version() < 1 || header_.format_version() > kTraceFormatVersion) {
    return Error(absl::StrFormat(
        "header: unknown trace format version %u (this iovacheck reads versions 1 to %u)",
        header_.format_version(), kTraceFormatVersion));
  }
  const std::string& domain = header_.domain();
  if (domain == kMdevDomain) {
    if (header_.format_version() < 3) {
      return Error(absl::StrFormat("header: domain \"%s\" needs format version 3, not %u",
                                   domain, header_.format_version()));
    }
    return absl::OkStatus();  // mdev traces name no vDPA device
  }
  if (!domain.empty() && domain != kVhostVdpaDomain) {
    return Error(absl::StrFormat("header: unknown domain \"%s\" (\"%s\" or \"%s\")",
                                 absl::CHexEscape(domain), kVhostVdpaDomain, kMdevDomain));
  }
  if (!header_.has_device()) return Error("header: no device configuration");
  return absl::OkStatus();
}

uint64_t TraceReader::ReadUpTo(uint64_t length, std::string* out) {
  // A length prefix is only a claim: the buffer grows with the bytes that
  // really arrive, a chunk at a time, so a damaged prefix in a small file
  // (or a pipe) never makes the reader allocate what the prefix says.
  constexpr uint64_t kChunk = uint64_t{1} << 20;
  out->clear();
  while (out->size() < length) {
    const size_t have = out->size();
    const uint64_t want = std::min<uint64_t>(kChunk, length - have);
    out->resize(have + want);
    in_.read(out->data() + have, static_cast<std::streamsize>(want));
    const uint64_t got = static_cast<uint64_t>(in_.gcount());
    if (got < want) {
      out->resize(have + got);
      break;
    }
  }
  return out->size();
}

absl::StatusOr<bool> TraceReader::ReadLength(uint64_t* length) {
  *length = 0;
  const uint64_t start = offset_;
  for (int shift = 0; shift < 64; shift += 7) {
    const int c = in_.get();
    if (c == EOF) {
      if (shift == 0) return false;  // a clean end between messages
      return Error(absl::StrFormat("byte %u: truncated length prefix", start));
    }
    ++offset_;
    *length |= uint64_t(c & 0x7f) << shift;
    if ((c & 0x80) == 0) {
      if (*length > kMaxMessageBytes) {
        return Error(absl::StrFormat(
            "byte %u: length prefix %u is implausible (garbage, or not a trace)", start,
            *length));
      }
      return true;
    }
  }
  return Error(absl::StrFormat("byte %u: malformed length prefix", start));
}

absl::StatusOr<bool> TraceReader::Next(trace::Event* event) {
  if (format_ == TraceFormat::kText) {
    if (events_read_ >= static_cast<uint64_t>(text_.events_size())) return false;
    *event = text_.events(events_read_++);
    return true;
  }
  if (header_.format_version() != 1) return NextCompact(event);
  const uint64_t start = offset_;
  uint64_t length = 0;
  absl::StatusOr<bool> got = ReadLength(&length);
  if (!got.ok() || !*got) return got;
  if (const uint64_t got_bytes = ReadUpTo(length, &bytes_); got_bytes != length) {
    return Error(absl::StrFormat("byte %u: event %u truncated (%u of %u bytes)", start,
                                 events_read_, got_bytes, length));
  }
  offset_ += length;
  if (!event->ParseFromString(bytes_)) {
    return Error(absl::StrFormat("byte %u: event %u is not a valid Event message", start,
                                 events_read_));
  }
  ++events_read_;
  return true;
}

// Version 2: blocks of events, each the number of its events, the number
// of its bytes, then the events, back to back.
absl::StatusOr<bool> TraceReader::NextCompact(trace::Event* event) {
  if (block_events_left_ == 0) {
    if (block_pos_ != bytes_.size()) {
      return Error(absl::StrFormat("byte %u: %u bytes after the block's last event",
                                   block_offset_ + block_pos_, bytes_.size() - block_pos_));
    }
    const uint64_t start = offset_;
    absl::StatusOr<bool> got = ReadLength(&block_events_left_);
    if (!got.ok() || !*got) return got;
    uint64_t length = 0;
    got = ReadLength(&length);
    if (!got.ok()) return got.status();
    if (!*got || block_events_left_ == 0 || length == 0) {
      return Error(absl::StrFormat("byte %u: a block of %u events in %u bytes", start,
                                   block_events_left_, length));
    }
    // A file cut short inside a block: the events before the cut still
    // read, and the one it cuts is named.
    ReadUpTo(length, &bytes_);
    block_expected_ = length;
    block_offset_ = offset_;
    block_pos_ = 0;
    offset_ += bytes_.size();
  }
  const uint64_t at = block_offset_ + block_pos_;
  if (absl::Status s = compact_.Decode(bytes_, &block_pos_, event); !s.ok()) {
    if (bytes_.size() < block_expected_) {
      return Error(absl::StrFormat(
          "byte %u: event %u truncated (the file ends %u bytes into a block of %u)", at,
          events_read_, bytes_.size(), block_expected_));
    }
    return Error(absl::StrFormat("byte %u: event %u: %s", at, events_read_, s.message()));
  }
  --block_events_left_;
  ++events_read_;
  return true;
}

namespace {

// Where a spool of events goes when the output is a device or a pipe.
std::string SpoolDirectory() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

}  // namespace

absl::StatusOr<std::unique_ptr<TraceWriter>> TraceWriter::Open(const std::string& path) {
  std::unique_ptr<TraceWriter> w(new TraceWriter());
  w->path_ = path;
  w->format_ = FormatForPath(path);
  absl::StatusOr<OutputPlace> place = PlaceOutput(path);
  if (!place.ok()) return place.status();
  if (place->temp.empty()) {
    w->out_.open(path, std::ios::binary | std::ios::out);
    if (!w->out_) {
      return absl::PermissionDeniedError(
          absl::StrFormat("%s: cannot open for writing: %s", path, ErrnoText(errno)));
    }
    return w;
  }
  // Renamed over the target at Close.
  w->target_ = place->target;
  w->temp_path_ = place->temp;
  w->out_.open(w->temp_path_, std::ios::binary | std::ios::trunc);
  return w;
}

absl::StatusOr<std::unique_ptr<TraceWriter>> TraceWriter::Create(
    const std::string& path, const trace::Header& header) {
  absl::StatusOr<std::unique_ptr<TraceWriter>> w = Open(path);
  if (!w.ok()) return w;
  const trace::Header readable = Readable(header);
  if ((*w)->format_ == TraceFormat::kText) {
    *(*w)->text_.mutable_header() = readable;
    return w;
  }
  (*w)->compact_ = header.format_version() != 1;
  (*w)->out_.write(kTraceMagic, kTraceMagicSize);
  if (absl::Status s = (*w)->WriteDelimited((*w)->out_, readable); !s.ok()) return s;
  return w;
}

absl::StatusOr<std::unique_ptr<TraceWriter>> TraceWriter::CreateWithLateHeader(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceWriter>> w = Open(path);
  if (!w.ok()) return w;
  (*w)->header_set_ = false;
  if ((*w)->format_ == TraceFormat::kText) return w;
  // Binary: the magic and the header go first at Close, the events here.
  const std::string beside =
      (*w)->temp_path_.empty() ? SpoolDirectory() + "/iovacheck" : (*w)->target_;
  absl::StatusOr<std::string> spool = TempFileBeside(beside, ".events", 0600);
  if (!spool.ok()) return spool.status();
  (*w)->spool_path_ = *spool;
  (*w)->spool_.open((*w)->spool_path_, std::ios::binary | std::ios::trunc);
  return w;
}

void TraceWriter::set_header(const trace::Header& header) {
  if (format_ == TraceFormat::kText) *text_.mutable_header() = Readable(header);
  late_header_ = Readable(header);
  header_set_ = true;
}

TraceWriter::~TraceWriter() {
  if (!closed_ && !temp_path_.empty()) {
    out_.close();
    std::remove(temp_path_.c_str());
    ForgetTempFile(temp_path_);
  }
  if (!spool_path_.empty()) {
    spool_.close();
    std::remove(spool_path_.c_str());
    ForgetTempFile(spool_path_);
  }
}

namespace {

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

absl::Status TraceWriter::WriteDelimited(std::ofstream& out,
                                         const google::protobuf::Message& message) {
  std::string prefix;
  const std::string bytes = message.SerializeAsString();
  AppendVarint(bytes.size(), &prefix);
  out.write(prefix.data(), prefix.size());
  out.write(bytes.data(), bytes.size());
  if (!out) return absl::DataLossError(absl::StrFormat("%s: write failed", writing()));
  return absl::OkStatus();
}

absl::Status TraceWriter::Append(const trace::Event& event) {
  if (format_ == TraceFormat::kText) {
    *text_.add_events() = event;
    return absl::OkStatus();
  }
  std::ofstream& out = spool_path_.empty() ? out_ : spool_;
  if (!compact_) return WriteDelimited(out, event);
  encoder_.Encode(event, &block_);
  ++block_events_;
  return block_.size() >= kBlockBytes ? FlushBlock(out) : absl::OkStatus();
}

absl::Status TraceWriter::FlushBlock(std::ofstream& out) {
  if (block_events_ == 0) return absl::OkStatus();
  std::string prefix;
  AppendVarint(block_events_, &prefix);
  AppendVarint(block_.size(), &prefix);
  out.write(prefix.data(), prefix.size());
  out.write(block_.data(), block_.size());
  block_.clear();
  block_events_ = 0;
  if (!out) return absl::DataLossError(absl::StrFormat("%s: write failed", writing()));
  return absl::OkStatus();
}

absl::Status TraceWriter::Close() {
  if (!header_set_) {
    return absl::FailedPreconditionError(absl::StrFormat("%s: no header was given", path_));
  }
  if (absl::Status s = FlushBlock(spool_path_.empty() ? out_ : spool_); !s.ok()) return s;
  if (!spool_path_.empty()) {
    // The magic and the header, then the events streamed so far (in the
    // version this writer encoded them in).
    late_header_.set_format_version(kTraceFormatVersion);
    out_.write(kTraceMagic, kTraceMagicSize);
    if (absl::Status s = WriteDelimited(out_, late_header_); !s.ok()) return s;
    spool_.flush();
    if (!spool_) return absl::DataLossError(absl::StrFormat("%s: write failed", spool_path_));
    spool_.close();
    std::ifstream in(spool_path_, std::ios::binary);
    // (Inserting an empty buffer would mark out_ failed.)
    if (in.peek() != std::ifstream::traits_type::eof()) out_ << in.rdbuf();
    in.close();
    std::remove(spool_path_.c_str());
    ForgetTempFile(spool_path_);
    spool_path_.clear();
  }
  if (format_ == TraceFormat::kText) {
    // Text has no way to write back fields a newer iovacheck added: say so
    // rather than write a file the text reader refuses.
    if (HasUnknownFields(text_)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: the trace carries fields this iovacheck does not know (a newer one wrote "
          "it); a text trace cannot hold them: write a binary trace instead",
          path_));
    }
    for (absl::string_view line : absl::StrSplit(comment_, '\n', absl::SkipEmpty())) {
      out_ << "# " << EscapeNonUtf8(line) << "\n";
    }
    std::string text;
    google::protobuf::TextFormat::PrintToString(text_, &text);
    out_ << text;
  }
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok) return absl::DataLossError(absl::StrFormat("%s: write failed", writing()));
  if (!temp_path_.empty() && std::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    return absl::DataLossError(absl::StrFormat("%s: cannot move %s into place: %s", path_,
                                               temp_path_, ErrnoText(errno)));
  }
  if (!temp_path_.empty()) ForgetTempFile(temp_path_);
  closed_ = true;
  return absl::OkStatus();
}

absl::StatusOr<trace::Trace> ReadWholeTrace(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  if (!reader.ok()) return reader.status();
  trace::Trace whole;
  *whole.mutable_header() = (*reader)->header();
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(whole.add_events());
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  whole.mutable_events()->RemoveLast();
  return whole;
}

absl::Status WriteWholeTrace(const std::string& path, const trace::Trace& whole,
                             const std::string& leading_comment) {
  absl::StatusOr<std::unique_ptr<TraceWriter>> writer =
      TraceWriter::Create(path, whole.header());
  if (!writer.ok()) return writer.status();
  (*writer)->set_leading_comment(leading_comment);
  for (const trace::Event& e : whole.events()) {
    if (absl::Status s = (*writer)->Append(e); !s.ok()) return s;
  }
  return (*writer)->Close();
}

}  // namespace iovacheck
