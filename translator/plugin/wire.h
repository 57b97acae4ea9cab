// Frames between iovacheck and a plug-in's child process over a stream
// socket: a 32-bit length, then the payload. Payloads are built and read with
// fixed-width little-endian fields (both ends are the same binary).
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_WIRE_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_WIRE_H_

#include <cstdint>
#include <cstring>
#include <string>

namespace iovacheck {

// Frames larger than this are refused: a bound on what a confused peer
// could make the other side allocate.
inline constexpr uint32_t kMaxFrameBytes = 64u << 20;

class WireWriter {
 public:
  WireWriter& U8(uint8_t v) { return Raw(&v, sizeof(v)); }
  WireWriter& U32(uint32_t v) { return Raw(&v, sizeof(v)); }
  WireWriter& U64(uint64_t v) { return Raw(&v, sizeof(v)); }
  WireWriter& I64(int64_t v) { return Raw(&v, sizeof(v)); }
  WireWriter& Str(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    return Raw(s.data(), s.size());
  }
  const std::string& bytes() const { return buf_; }

 private:
  WireWriter& Raw(const void* p, size_t n) {
    buf_.append(static_cast<const char*>(p), n);
    return *this;
  }
  std::string buf_;
};

// Reads fields in order; once a read runs past the end every later read
// fails too and ok() is false.
class WireReader {
 public:
  explicit WireReader(const std::string& buf) : buf_(buf) {}
  bool U8(uint8_t* v) { return Raw(v, sizeof(*v)); }
  bool U32(uint32_t* v) { return Raw(v, sizeof(*v)); }
  bool U64(uint64_t* v) { return Raw(v, sizeof(*v)); }
  bool I64(int64_t* v) { return Raw(v, sizeof(*v)); }
  bool Str(std::string* s) {
    uint32_t n = 0;
    if (!U32(&n) || buf_.size() - pos_ < n) return ok_ = false;
    s->assign(buf_, pos_, n);
    pos_ += n;
    return true;
  }
  bool ok() const { return ok_; }

 private:
  bool Raw(void* p, size_t n) {
    if (!ok_ || buf_.size() - pos_ < n) return ok_ = false;
    std::memcpy(p, buf_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  const std::string& buf_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Writes one frame; false when the peer is gone. Never raises SIGPIPE.
bool SendFrame(int fd, const std::string& payload);

// Reads one frame, blocking; false on end of file, an error or an oversized
// frame.
bool ReceiveFrame(int fd, std::string* payload);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_WIRE_H_
