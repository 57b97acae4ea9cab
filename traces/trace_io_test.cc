// Binary trace files as a stream: fields this version does not know survive a
// read and a write, and a file can grow by appending delimited events.
#include "traces/trace_io.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "traces/replay.h"
#include "traces/trace_codec.h"
#include "traces/trace_test_util.h"

namespace iovacheck {
namespace {

// Field 99, wire type varint (tag (99 << 3) | 0 = 0x318), value 42: what a
// newer iovacheck might add to Event.
const std::string kUnknownField("\x98\x06\x2a", 3);

// A version-1 header: events as delimited protobuf messages.
trace::Header V1Header() {
  trace::Header h = TestHeader();
  h.set_format_version(1);
  return h;
}

// Read from a version-1 file, written again as version 1 (the header's) and
// as version 2 (where the event goes behind the escape tag).
TEST(TraceIo, UnknownFieldsSurviveABinaryReadAndWrite) {
  const std::string in_path = TestPath("future.trace");
  std::string event = EventToProto(ListenerBeginEvent{}).SerializeAsString() + kUnknownField;
  WriteBytes(in_path, std::string(kTraceMagic, kTraceMagicSize) + Delimited(V1Header()) +
                          Delimited(event));

  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(in_path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  trace::Event read;
  absl::StatusOr<bool> more = (*reader)->Next(&read);
  ASSERT_TRUE(more.ok() && *more) << more.status();
  EXPECT_TRUE(read.has_listener_begin());

  for (uint32_t version : {1u, kTraceFormatVersion}) {
    const std::string out_path = TestPath(absl::StrCat("future-rewritten-v", version, ".trace"));
    trace::Header header = (*reader)->header();
    header.set_format_version(version);
    absl::StatusOr<std::unique_ptr<TraceWriter>> writer = TraceWriter::Create(out_path, header);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append(read).ok());
    ASSERT_TRUE((*writer)->Close().ok());

    EXPECT_TRUE(absl::StrContains(ReadBytes(out_path), kUnknownField)) << version;
    // And it is still an ordinary trace to this version.
    absl::StatusOr<trace::Trace> again = ReadWholeTrace(out_path);
    ASSERT_TRUE(again.ok()) << again.status();
    ASSERT_EQ(again->events_size(), 1);
    EXPECT_TRUE(absl::StrContains(again->events(0).SerializeAsString(), kUnknownField));
  }
}

// Version 1 only: a version-2 event needs the ones before it.
TEST(TraceIo, VersionOneTraceCanBeAppendedTo) {
  const std::vector<trace::Event> events = InputsOnly(AliasingScenario());
  const std::vector<trace::Event> first(events.begin(), events.begin() + 5);
  const std::string path = TestPath("appended.trace");
  ASSERT_TRUE(WriteTestTrace(path, V1Header(), first).ok());
  for (size_t i = first.size(); i < events.size(); ++i) AppendBytes(path, Delimited(events[i]));

  absl::StatusOr<trace::Trace> whole = ReadWholeTrace(path);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->events_size(), static_cast<int>(events.size()));
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(whole->events(i).SerializeAsString(), events[i].SerializeAsString()) << i;
  }
  ReplayOptions options;
  ReplayResult r = ReplayTrace(path, options);
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
  EXPECT_EQ(r.events, events.size());
}

// A header known only at the end (a simulation's verdict): the events are
// streamed beside the target and put behind the header at Close, giving the
// same bytes as a writer that had the header first; nothing is left behind.
TEST(TraceIo, ALateHeaderGivesTheSameBytes) {
  const std::vector<trace::Event> events = InputsOnly(AliasingScenario());
  for (const char* name : {"late.trace", "late.textproto"}) {
    const std::string early_path = TestPath(std::string("early-") + name);
    const std::string late_path = TestPath(name);
    ASSERT_TRUE(WriteTestTrace(early_path, TestHeader(), events).ok());
    absl::StatusOr<std::unique_ptr<TraceWriter>> w = TraceWriter::CreateWithLateHeader(late_path);
    ASSERT_TRUE(w.ok()) << w.status();
    for (const trace::Event& e : events) ASSERT_TRUE((*w)->Append(e).ok());
    (*w)->set_header(TestHeader());
    ASSERT_TRUE((*w)->Close().ok());
    EXPECT_EQ(ReadBytes(late_path), ReadBytes(early_path)) << name;
  }
  // No events at all, and no header: refused, nothing written.
  const std::string empty_path = TestPath("late-empty.trace");
  absl::StatusOr<std::unique_ptr<TraceWriter>> w = TraceWriter::CreateWithLateHeader(empty_path);
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE((*w)->Close().ok());
  (*w)->set_header(TestHeader());
  ASSERT_TRUE((*w)->Close().ok());
  absl::StatusOr<trace::Trace> read = ReadWholeTrace(empty_path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->events_size(), 0);
}

}  // namespace
}  // namespace iovacheck

namespace iovacheck {
namespace {

// Writes a one-event trace with a late header to `path`.
absl::Status WriteSmallTrace(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceWriter>> w = TraceWriter::CreateWithLateHeader(path);
  if (!w.ok()) return w.status();
  if (absl::Status s = (*w)->Append(EventToProto(ListenerBeginEvent{})); !s.ok()) return s;
  (*w)->set_header(TestHeader());
  return (*w)->Close();
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

TEST(TraceOutput, ANewFileGetsWhatTheUmaskGives) {
  const std::string path = TestPath("umask.trace");
  const mode_t old = umask(027);
  const absl::Status s = WriteSmallTrace(path);
  umask(old);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ModeOf(path), 0640u);
}

TEST(TraceOutput, AReplacedFileKeepsItsMode) {
  const std::string path = TestPath("kept-mode.trace");
  WriteBytes(path, "old");
  ASSERT_EQ(chmod(path.c_str(), 0604), 0);
  ASSERT_TRUE(WriteSmallTrace(path).ok());
  EXPECT_EQ(ModeOf(path), 0604u);
  EXPECT_TRUE(TraceReader::Open(path).ok());
}

TEST(TraceOutput, ASymbolicLinkStaysALinkAndItsTargetIsWritten) {
  const std::string target = TestPath("link-target.trace");
  const std::string link = TestPath("link.trace");
  WriteBytes(target, "old");
  std::remove(link.c_str());
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteSmallTrace(link).ok());
  struct stat st;
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_TRUE(TraceReader::Open(target).ok());
}

// A pipe is written through, not replaced by a file renamed over it.
TEST(TraceOutput, APipeIsWrittenThrough) {
  const std::string fifo = TestPath("out.fifo");
  std::remove(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  const absl::Status s = WriteSmallTrace(fifo);
  reader.join();
  ASSERT_TRUE(s.ok()) << s;
  struct stat st;
  ASSERT_EQ(stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_TRUE(absl::StartsWith(received, std::string(kTraceMagic, kTraceMagicSize)));
  EXPECT_GT(received.size(), kTraceMagicSize + 4);
}

// What is wrong is said as it is: a directory or an empty file is not "not
// a binary trace" or "format version 0"; a missing directory is not a
// permission problem.
TEST(TraceIoMessages, SayWhatIsWrong) {
  const std::string dir = TestPath("a-directory.trace");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  absl::StatusOr<std::unique_ptr<TraceReader>> d = TraceReader::Open(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), dir + ": is a directory, not a trace");

  for (const char* ext : {".trace", ".textproto"}) {
    const std::string empty = TestPath(std::string("empty") + ext);
    WriteBytes(empty, "");
    absl::StatusOr<std::unique_ptr<TraceReader>> e = TraceReader::Open(empty);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().message(), empty + ": empty file, not a trace");
  }

  const std::string nowhere = TestPath("no-such-dir") + "/out.trace";
  const absl::Status w = WriteTestTrace(nowhere, TestHeader(), {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.code(), absl::StatusCode::kNotFound) << w;
  EXPECT_TRUE(absl::StrContains(w.message(), "does not exist")) << w;
}

}  // namespace
}  // namespace iovacheck
