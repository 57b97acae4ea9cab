#include "mdev/trace_file.h"

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "mdev/scenario.h"
#include "mdev/shrink.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

std::string Temp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string Lines(const std::vector<MdevEvent>& events) {
  std::string s;
  for (const MdevEvent& e : events) s += MdevEventToString(e) + "\n";
  return s;
}

MdevTrace SeedOne(const std::string& tracker) {
  MdevTrace t;
  t.events = GenerateMdevRun(1, 200);
  absl::StatusOr<std::optional<MdevDivergence>> d = RunMdevEvents(tracker, t.events);
  EXPECT_TRUE(d.ok());
  t.header = MdevHeader(1, tracker, *d, "test");
  return t;
}

TEST(MdevTraceFile, RoundTripsInBothFormatsAsVersion3) {
  const MdevTrace t = SeedOne("mdev-tree-forgets-unpin");
  for (const char* name : {"run.trace", "run.textproto"}) {
    const std::string path = Temp(name);
    ASSERT_TRUE(WriteMdevTrace(path, t).ok()) << path;
    absl::StatusOr<MdevTrace> back = ReadMdevTrace(path);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->header.format_version(), 3u);
    EXPECT_EQ(back->header.domain(), "vfio-mdev");
    EXPECT_EQ(Lines(back->events), Lines(t.events)) << path;
    absl::StatusOr<std::vector<std::string>> wrong = CheckMdevExpectations(*back);
    ASSERT_TRUE(wrong.ok()) << wrong.status();
    EXPECT_TRUE(wrong->empty()) << (*wrong)[0];
  }
}

TEST(MdevTraceFile, ExpectationsThatDoNotHoldAreNamed) {
  MdevTrace t = SeedOne("mdev-tree-forgets-unpin");
  t.header.mutable_expect(0)->set_event_index(0);  // it fails later than that
  trace::Expectation* pass = t.header.add_expect();
  pass->set_translator("mdev-tree-forgets-unpin");
  pass->set_verdict(trace::Expectation::PASS);
  absl::StatusOr<std::vector<std::string>> wrong = CheckMdevExpectations(t);
  ASSERT_TRUE(wrong.ok());
  ASSERT_EQ(wrong->size(), 2u);
  EXPECT_NE((*wrong)[0].find("expected FAIL by rule pin-leak at event 0"), std::string::npos);
  EXPECT_NE((*wrong)[1].find("expected PASS"), std::string::npos);
  t.header.mutable_expect(0)->set_translator("mdev-nosuch");
  EXPECT_EQ(CheckMdevExpectations(t).status().code(), absl::StatusCode::kNotFound);
}

TEST(MdevTraceFile, DomainsDoNotMix) {
  // A vhost-vdpa trace is not an mdev trace...
  trace::Trace vhost;
  vhost.mutable_header()->set_format_version(2);
  vhost.mutable_header()->mutable_device()->set_page_size(4096);
  vhost.add_events()->mutable_listener_begin();
  const std::string vpath = Temp("vhost.textproto");
  ASSERT_TRUE(WriteWholeTrace(vpath, vhost).ok());
  absl::StatusOr<MdevTrace> read = ReadMdevTrace(vpath);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(std::string(read.status().message()).find("not an mdev trace"), std::string::npos);
  // ...a vhost event in an mdev trace is refused by its index...
  MdevTrace t = SeedOne("mdev-tree-pin-all");
  trace::Trace mixed;
  *mixed.mutable_header() = t.header;
  *mixed.add_events() = MdevEventToProto(t.events[0]);
  mixed.add_events()->mutable_listener_begin();
  const std::string mpath = Temp("mixed.textproto");
  ASSERT_TRUE(WriteWholeTrace(mpath, mixed).ok());
  read = ReadMdevTrace(mpath);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(std::string(read.status().message()).find("event 1: not an mdev event"),
            std::string::npos)
      << read.status();
  // ...and the mdev domain needs version 3.
  mixed.mutable_header()->set_format_version(2);
  mixed.mutable_events()->RemoveLast();
  const std::string v2path = Temp("v2.textproto");
  ASSERT_TRUE(WriteWholeTrace(v2path, mixed).ok());
  read = ReadMdevTrace(v2path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(std::string(read.status().message()).find("needs format version 3"), std::string::npos)
      << read.status();
}

TEST(MdevTraceFile, TheShrunkForgetfulRunIsThreeEventsOnFile) {
  const MdevTrace t = SeedOne("mdev-tree-forgets-unpin");
  absl::StatusOr<MdevShrinkResult> s = ShrinkMdevRun("mdev-tree-forgets-unpin", t.events);
  ASSERT_TRUE(s.ok());
  MdevTrace min{MdevHeader(1, "mdev-tree-forgets-unpin", s->divergence, "shrunk"), s->events};
  trace::Expectation* pass = min.header.add_expect();
  pass->set_translator("mdev-tree-pin-sparse");
  pass->set_verdict(trace::Expectation::PASS);
  const std::string path = Temp("min.textproto");
  ASSERT_TRUE(WriteMdevTrace(path, min).ok());
  absl::StatusOr<MdevTrace> back = ReadMdevTrace(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->events.size(), 3u);
  absl::StatusOr<std::vector<std::string>> wrong = CheckMdevExpectations(*back);
  ASSERT_TRUE(wrong.ok());
  EXPECT_TRUE(wrong->empty());
}

}  // namespace
}  // namespace iovacheck
