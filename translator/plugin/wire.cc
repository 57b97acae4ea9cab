#include "translator/plugin/wire.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace iovacheck {
namespace {

bool SendAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool ReceiveAll(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (r == 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

bool SendFrame(int fd, const std::string& payload) {
  if (payload.size() > kMaxFrameBytes) return false;
  std::string frame;
  frame.reserve(sizeof(uint32_t) + payload.size());
  uint32_t n = static_cast<uint32_t>(payload.size());
  frame.append(reinterpret_cast<const char*>(&n), sizeof(n));
  frame.append(payload);
  return SendAll(fd, frame.data(), frame.size());
}

bool ReceiveFrame(int fd, std::string* payload) {
  uint32_t n = 0;
  if (!ReceiveAll(fd, reinterpret_cast<char*>(&n), sizeof(n))) return false;
  if (n > kMaxFrameBytes) return false;
  payload->resize(n);
  return n == 0 || ReceiveAll(fd, payload->data(), n);
}

}  // namespace iovacheck
