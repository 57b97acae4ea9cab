// A binary trace's length prefixes are claims, not facts: a small damaged
// file must not make the reader allocate what a prefix says (up to the
// 64 MiB a prefix may claim) before it finds the bytes are not there. This
// binary counts the largest single allocation to see it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "absl/strings/match.h"
#include "traces/compact_event_codec.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"

namespace {
std::atomic<size_t> largest_allocation{0};
}  // namespace

void* operator new(size_t size) {
  size_t seen = largest_allocation.load();
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace iovacheck {
namespace {

// A varint, as a binary trace writes its lengths.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

constexpr uint64_t kClaimed = 60u << 20;  // under the 64 MiB a prefix may say

void ExpectRefusedWithoutBelievingIt(const std::string& path, const std::string& bytes,
                                     const std::string& want) {
  ASSERT_LT(bytes.size(), 2048u);
  WriteBytes(path, bytes);
  largest_allocation = 0;
  absl::Status status;
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  if (!reader.ok()) {
    status = reader.status();
  } else {
    trace::Event e;
    absl::StatusOr<bool> more = (*reader)->Next(&e);
    status = more.ok() ? absl::OkStatus() : more.status();
  }
  EXPECT_TRUE(absl::StrContains(status.message(), want)) << status;
  EXPECT_LT(largest_allocation.load(), size_t{4} << 20)
      << "the reader allocated what the length prefix claimed";
}

TEST(LengthPrefix, AHeaderLengthIsNotBelieved) {
  ExpectRefusedWithoutBelievingIt(TestPath("header.trace"),
                                  std::string(kTraceMagic, kTraceMagicSize) + Varint(kClaimed) +
                                      std::string(1000, 'x'),
                                  "header truncated (1000 of 62914560 bytes)");
}

std::string HeaderOfVersion(uint32_t version) {
  trace::Header h = TestHeader();
  h.set_format_version(version);
  const std::string header = h.SerializeAsString();
  return std::string(kTraceMagic, kTraceMagicSize) + Varint(header.size()) + header;
}

TEST(LengthPrefix, AVersion1EventLengthIsNotBelieved) {
  ExpectRefusedWithoutBelievingIt(TestPath("v1.trace"),
                                  HeaderOfVersion(1) + Varint(kClaimed) + std::string(500, 'x'),
                                  "event 0 truncated (500 of 62914560 bytes)");
}

TEST(LengthPrefix, AVersion2BlockLengthIsNotBelieved) {
  ExpectRefusedWithoutBelievingIt(
      TestPath("v2.trace"),
      HeaderOfVersion(kTraceFormatVersion) + Varint(3) + Varint(kClaimed) +
          std::string(500, 'x'),
      "event 0");
}

}  // namespace
}  // namespace iovacheck
