// What goes into a trace must come back out: strings that are not UTF-8 are
// refused where they come in or escaped where we make them, fields a newer
// iovacheck added are not silently written where they cannot be read, and
// every trace in the tree survives a round trip through both formats.
#include "traces/utf8.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

TEST(Utf8, TellsWellFormedFromNot) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("pc.ram"));
  EXPECT_TRUE(IsUtf8("m\xc3\xa9moire \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsUtf8("\xff"));
  EXPECT_FALSE(IsUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsUtf8("\xe2\x82"));          // cut short
  EXPECT_EQ(EscapeNonUtf8("a\xff\xc3\xa9\\b"), "a\\xff\xc3\xa9\\\\b");
}

std::string WithName(const std::string& name) {
  return std::string("header { format_version: 2 device { page_size: 4096 } }\n") +
         "events { listener_begin {} }\n"
         "events { region_add { section { gpa: 0 size: 4096 hva: 0x7f0000000000 name: \"" +
         name +
         "\" } } }\n"
         "events { listener_commit {} }\n";
}

TEST(Utf8, ATextTraceWithANonUtf8NameIsRefusedWhereItComesIn) {
  const std::string good = TestPath("utf8-ok.textproto");
  WriteBytes(good, WithName("caf\\303\\251"));
  EXPECT_TRUE(TraceReader::Open(good).ok());

  const std::string bad = TestPath("utf8-bad.textproto");
  WriteBytes(bad, WithName("ram\\377"));
  absl::StatusOr<std::unique_ptr<TraceReader>> r = TraceReader::Open(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(), bad + ": event 1: ")) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "section.name is not UTF-8")) << r.status();
}

TEST(Utf8, AHeaderMadeFromAPathThatIsNotUtf8StillReadsBack) {
  trace::Header header = TestHeader();
  header.mutable_producer()->set_source("imported from /tmp/log\xff.log");
  for (const char* ext : {".trace", ".textproto"}) {
    const std::string path = TestPath(std::string("path-source") + ext);
    ASSERT_TRUE(WriteTestTrace(path, header, InputsOnly(AliasingScenario())).ok());
    absl::StatusOr<trace::Trace> back = ReadWholeTrace(path);
    ASSERT_TRUE(back.ok()) << ext << ": " << back.status();
    EXPECT_EQ(back->header().producer().source(), "imported from /tmp/log\\xff.log");
    EXPECT_EQ(back->events_size(), static_cast<int>(AliasingScenario().size()));
  }
}

TEST(Utf8, FieldsFromANewerIovacheckAreNotWrittenAsText) {
  std::vector<trace::Event> events = InputsOnly(AliasingScenario());
  events[1].GetReflection()->MutableUnknownFields(&events[1])->AddVarint(999, 7);
  const std::string binary = TestPath("newer.trace");
  ASSERT_TRUE(WriteTestTrace(binary, TestHeader(), events).ok());
  absl::StatusOr<trace::Trace> read = ReadWholeTrace(binary);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(HasUnknownFields(*read));

  const std::string text = TestPath("newer.textproto");
  const absl::Status s = WriteWholeTrace(text, *read);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "write a binary trace")) << s;
  EXPECT_FALSE(TraceReader::Open(text).ok()) << "a file was left at " << text;
  // As binary it goes through whole.
  const std::string again = TestPath("newer-again.trace");
  ASSERT_TRUE(WriteWholeTrace(again, *read).ok());
  absl::StatusOr<trace::Trace> back = ReadWholeTrace(again);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*back, *read));
}

// Every trace kept in the tree, written in both formats and read back,
// is what it was.
TEST(Utf8, EveryTraceInTheTreeRoundTripsThroughBothFormats) {
  absl::StatusOr<std::string> dir = FindRunfile("traces/regressions");
  ASSERT_TRUE(dir.ok()) << dir.status();
  std::vector<std::string> paths;
  if (DIR* d = opendir(dir->c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (absl::EndsWith(name, ".textproto") || absl::EndsWith(name, ".trace")) {
        paths.push_back(*dir + "/" + name);
      }
    }
    closedir(d);
  }
  absl::StatusOr<std::string> v1 = FindRunfile("traces/testdata/v1-q35-seed1-steps5.trace");
  ASSERT_TRUE(v1.ok()) << v1.status();
  paths.push_back(*v1);
  ASSERT_GT(paths.size(), 5u);
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    absl::StatusOr<trace::Trace> original = ReadWholeTrace(path);
    ASSERT_TRUE(original.ok()) << original.status();
    for (const char* ext : {".trace", ".textproto"}) {
      const std::string copy = TestPath(std::string("round-trip") + ext);
      ASSERT_TRUE(WriteWholeTrace(copy, *original).ok());
      absl::StatusOr<trace::Trace> back = ReadWholeTrace(copy);
      ASSERT_TRUE(back.ok()) << ext << ": " << back.status();
      // A v1 file is written in the version its header names: the same.
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*back, *original)) << ext;
    }
  }
}

}  // namespace
}  // namespace iovacheck
