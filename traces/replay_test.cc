// Replaying traces: verdicts for live translators and for recordings, the
// divergence report, and one-line errors for every kind of bad input.
#include "traces/replay.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "model/iotlb_msg.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"

namespace iovacheck {
namespace {

constexpr const char* kFormats[] = {".trace", ".textproto"};

ReplayResult Replay(const std::string& path, const std::string& translator) {
  ReplayOptions options;
  options.translator = translator;
  return ReplayTrace(path, options);
}

ReplayResult ReplayRecorded(const std::string& path, std::optional<bool> strict = {}) {
  ReplayOptions options;
  options.recorded = true;
  options.strict = strict;
  return ReplayTrace(path, options);
}

// ---- verdicts ---------------------------------------------------------------

TEST(Replay, DecoupledPassesTheAliasingScenario) {
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("aliasing") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(AliasingScenario())).ok());
    ReplayResult r = Replay(path, "decoupled");
    EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << ext << "\n" << r.report;
    EXPECT_EQ(r.events, AliasingScenario().size());
    EXPECT_EQ(ReplayExitCode(r.verdict), 0);
  }
}

TEST(Replay, LegacyFailsTheAliasingScenarioWithAReport) {
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("aliasing-legacy") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(AliasingScenario())).ok());
    ReplayResult r = Replay(path, "legacy");
    std::cout << r.report;
    ASSERT_EQ(r.verdict, ReplayVerdict::kFail) << ext;
    EXPECT_EQ(ReplayExitCode(r.verdict), 1);
    ASSERT_TRUE(r.divergence.has_value());
    EXPECT_EQ(r.divergence->rule, OracleRule::kCoverage);
    EXPECT_EQ(r.event_index, kAliasDeleteIndex);
    EXPECT_EQ(r.events, kAliasDeleteIndex + 1);
    const std::string& report = r.report;
    EXPECT_TRUE(absl::StartsWith(report, path + ": divergence at event 6 (region_del)\n"))
        << report;
    EXPECT_TRUE(absl::StrContains(report, "  event: region_del  smram-open-high")) << report;
    EXPECT_TRUE(absl::StrContains(report, "  rule: coverage\n")) << report;
    EXPECT_TRUE(absl::StrContains(report, "  expected: ")) << report;
    EXPECT_TRUE(absl::StrContains(report, "  actual: ")) << report;
    // The message legacy sent: an INVALIDATE of low RAM's IOVAs.
    EXPECT_TRUE(absl::StrContains(report, "messages sent for this event:\n")) << report;
    EXPECT_TRUE(absl::StrContains(report, "-> INVALIDATE")) << report;
    // The neighbourhood: the RAM section the missing GPA belongs to, and the
    // alias's entry left behind at its IOVA, marked stale.
    EXPECT_TRUE(absl::StrContains(report, "GPA 0x0:")) << report;
    EXPECT_TRUE(absl::StrContains(report, "section ram-below-4g gpa [0x0, 0x7fffffff]"))
        << report;
    EXPECT_TRUE(absl::StrContains(report, "HVA 0x7f7903ea0000:")) << report;
    EXPECT_TRUE(absl::StrContains(report, "IOVA ")) << report;
    EXPECT_TRUE(absl::StrContains(report, "-> hva 0x7f7903ea0000 RW (stale")) << report;
  }
}

TEST(Replay, RecordedLegacyRunFails) {
  absl::StatusOr<std::vector<trace::Event>> recorded =
      RecordRun("legacy", DeviceConfig{}, AliasingScenario());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->size(), kAliasDeleteIndex + 1);  // the harness stops there
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("recorded-legacy") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), *recorded).ok());
    ReplayResult r = ReplayRecorded(path);
    ASSERT_EQ(r.verdict, ReplayVerdict::kFail) << ext << "\n" << r.report;
    EXPECT_EQ(r.divergence->rule, OracleRule::kCoverage);
    EXPECT_EQ(r.event_index, kAliasDeleteIndex);
    EXPECT_TRUE(absl::StrContains(r.report, "-> INVALIDATE")) << r.report;
  }
}

TEST(Replay, RecordedDecoupledRunPasses) {
  absl::StatusOr<std::vector<trace::Event>> recorded =
      RecordRun("decoupled", DeviceConfig{}, AliasingScenario());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("recorded-decoupled") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), *recorded).ok());
    ReplayResult r = ReplayRecorded(path);
    EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << ext << "\n" << r.report;
    EXPECT_EQ(r.events, AliasingScenario().size());
  }
}

// One section mapped by a recording, at a valid IOVA that is not the one
// QEMU's first fit hands out: only strict mode objects.
std::vector<trace::Event> RecordedOffFirstFit() {
  const std::vector<Event> events = {
      ListenerBeginEvent{}, RegionAddEvent{NamedSection("ram", 0x0, 0x100000, 0x7f0000000000)},
      ListenerCommitEvent{}};
  std::vector<trace::Event> recorded = *RecordRun("decoupled", DeviceConfig{}, events);
  for (trace::Event& e : recorded) {
    for (trace::IotlbMessage& m : *e.mutable_sent()) {
      if (m.type() == kIotlbUpdate) m.set_iova(m.iova() + 0x100000);
    }
  }
  return recorded;
}

TEST(Replay, StrictComesFromTheHeaderUnlessTheFlagSaysOtherwise) {
  const std::string lax = TestPath("off-first-fit-lax.trace");
  const std::string strict = TestPath("off-first-fit-strict.trace");
  ASSERT_TRUE(WriteTestTrace(lax, TestHeader(DeviceConfig{}, false), RecordedOffFirstFit()).ok());
  ASSERT_TRUE(WriteTestTrace(strict, TestHeader(DeviceConfig{}, true), RecordedOffFirstFit()).ok());

  EXPECT_EQ(ReplayRecorded(lax).verdict, ReplayVerdict::kPass);
  ReplayResult from_header = ReplayRecorded(strict);
  ASSERT_EQ(from_header.verdict, ReplayVerdict::kFail) << from_header.report;
  EXPECT_EQ(from_header.divergence->rule, OracleRule::kStrictIova);
  EXPECT_TRUE(absl::StrContains(from_header.report, "rule: strict-first-fit"));

  ReplayResult forced_on = ReplayRecorded(lax, true);
  ASSERT_EQ(forced_on.verdict, ReplayVerdict::kFail) << forced_on.report;
  EXPECT_EQ(forced_on.divergence->rule, OracleRule::kStrictIova);
  EXPECT_EQ(ReplayRecorded(strict, false).verdict, ReplayVerdict::kPass);
}

TEST(Replay, RecordedAnswerTheDeviceWouldNotGiveFails) {
  std::vector<trace::Event> recorded = *RecordRun("decoupled", DeviceConfig{},
                                                  AliasingScenario());
  trace::IotlbMessage* update = nullptr;
  for (trace::Event& e : recorded) {
    for (trace::IotlbMessage& m : *e.mutable_sent()) {
      if (update == nullptr && m.type() == kIotlbUpdate) update = &m;
    }
  }
  ASSERT_NE(update, nullptr);
  update->set_error(EFAULT);  // the emulated device accepts it
  const std::string path = TestPath("recorded-wrong-answer.trace");
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), recorded).ok());
  ReplayResult r = ReplayRecorded(path);
  ASSERT_EQ(r.verdict, ReplayVerdict::kFail) << r.report;
  EXPECT_EQ(r.divergence->rule, OracleRule::kRecordedAnswer);
  EXPECT_TRUE(absl::StrContains(r.report, "rule: recorded-answer")) << r.report;
  EXPECT_TRUE(absl::StrContains(r.report, "IOVA 0x")) << r.report;

  // The same recording without answers (as a QEMU log gives it) is judged
  // on the oracle alone, and passes.
  for (trace::Event& e : recorded) {
    for (trace::IotlbMessage& m : *e.mutable_sent()) m.set_answered(false);
  }
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), recorded).ok());
  EXPECT_EQ(ReplayRecorded(path).verdict, ReplayVerdict::kPass);
}

TEST(Replay, InputsOnlyTraceInRecordedModeSendsNothing) {
  // Without outputs the playback sends no message: the section is missing.
  const std::string path = TestPath("inputs-only-recorded.trace");
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(AliasingScenario())).ok());
  ReplayResult r = ReplayRecorded(path);
  ASSERT_EQ(r.verdict, ReplayVerdict::kFail) << r.report;
  EXPECT_EQ(r.divergence->rule, OracleRule::kCoverage);
  EXPECT_EQ(r.event_index, 1u);
  EXPECT_TRUE(absl::StrContains(r.report, "(none)")) << r.report;
}

// ---- bad input ----------------------------------------------------------------

// A kBadInput verdict, exit status 2, and a one-line error naming the file
// and each of `where`.
void ExpectBadInput(const ReplayResult& r, const std::string& path,
                    const std::vector<std::string>& where) {
  EXPECT_EQ(r.verdict, ReplayVerdict::kBadInput) << r.report;
  EXPECT_EQ(ReplayExitCode(r.verdict), 2);
  EXPECT_TRUE(absl::StartsWith(r.report, path + ": ")) << r.report;
  EXPECT_FALSE(absl::StrContains(r.report, "\n")) << r.report;
  for (const std::string& w : where) EXPECT_TRUE(absl::StrContains(r.report, w)) << r.report;
}

TEST(ReplayBadInput, TruncatedBinaryFile) {
  const std::string path = TestPath("truncated.trace");
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(AliasingScenario())).ok());
  std::string bytes = ReadBytes(path);
  // The last event (listener_commit) is 1 byte, its tag. Cutting the file
  // inside the region_del before it truncates event 6.
  const size_t commit_and_del_tail = 1 + 2;
  WriteBytes(path, bytes.substr(0, bytes.size() - commit_and_del_tail));
  ReplayResult r = Replay(path, "decoupled");
  ExpectBadInput(r, path, {"byte ", "event 6 truncated"});
  EXPECT_EQ(r.event_index, 6u);
}

TEST(ReplayBadInput, GarbageBytes) {
  const std::string path = TestPath("garbage.trace");
  WriteBytes(path, std::string("\x13\x37\xfe\xed\x00\x01garbage", 12));
  ExpectBadInput(Replay(path, "decoupled"), path, {"byte 0", "no magic"});
}

TEST(ReplayBadInput, GarbageAfterTheHeader) {
  const std::string path = TestPath("garbage-after-header.trace");
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), {}).ok());
  const size_t events_start = ReadBytes(path).size();
  AppendBytes(path, "\xff\xff\xff\xff\xff\xff\xff\xff\x7f");
  ExpectBadInput(Replay(path, "decoupled"), path,
                 {"byte " + std::to_string(events_start), "implausible"});
}

TEST(ReplayBadInput, TextFileWithABinaryName) {
  const std::string text = TestPath("really-text.textproto");
  ASSERT_TRUE(WriteTestTrace(text, TestHeader(), InputsOnly(AliasingScenario())).ok());
  const std::string path = TestPath("really-text.trace");
  WriteBytes(path, ReadBytes(text));
  ExpectBadInput(Replay(path, "decoupled"), path, {"byte 0", "textproto"});
}

TEST(ReplayBadInput, BinaryFileWithATextName) {
  const std::string binary = TestPath("really-binary.trace");
  ASSERT_TRUE(WriteTestTrace(binary, TestHeader(), InputsOnly(AliasingScenario())).ok());
  const std::string path = TestPath("really-binary.textproto");
  WriteBytes(path, ReadBytes(binary));
  ExpectBadInput(Replay(path, "decoupled"), path, {"byte 0", "binary trace"});
}

TEST(ReplayBadInput, MalformedTextNamesTheLine) {
  const std::string path = TestPath("malformed.textproto");
  WriteBytes(path, "header { format_version: 1 device { page_size: 4096 } }\n"
                   "events { listener_begin {} }\n"
                   "events { region_add { section { gpa: zero } } }\n");
  ExpectBadInput(Replay(path, "decoupled"), path, {"line 3"});
}

TEST(ReplayBadInput, UnknownFormatVersion) {
  trace::Header header = TestHeader();
  header.set_format_version(kTraceFormatVersion + 1);
  const std::string version = absl::StrCat("format version ", kTraceFormatVersion + 1);
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("version-next") + ext);
    ASSERT_TRUE(WriteTestTrace(path, header, InputsOnly(AliasingScenario())).ok());
    ExpectBadInput(Replay(path, "decoupled"), path, {version});
  }
}

// A recorded message's type and perm are bytes in a vhost_iotlb_msg: a value
// that does not fit is refused, never cut (type 258 would replay as UPDATE,
// 0x102 & 0xff, and pass).
TEST(ReplayBadInput, RecordedFieldsThatDoNotFitAreRefused) {
  for (const char* field : {"type", "perm"}) {
    std::vector<trace::Event> recorded =
        *RecordRun("decoupled", DeviceConfig{}, AliasingScenario());
    size_t index = 0;
    while (recorded[index].sent_size() == 0) ++index;
    trace::IotlbMessage* m = recorded[index].mutable_sent(0);
    if (std::string(field) == "type") {
      m->set_type(m->type() + 0x100);
    } else {
      m->set_perm(m->perm() + 0x100);
    }
    for (const char* ext : kFormats) {
      const std::string path = TestPath(std::string("wide-") + field + ext);
      ASSERT_TRUE(WriteTestTrace(path, TestHeader(), recorded).ok());
      ExpectBadInput(ReplayRecorded(path), path,
                     {absl::StrCat("event ", index), absl::StrCat(field, " ")});
      // Against a translator too: the trace is bad whoever replays it.
      ExpectBadInput(Replay(path, "decoupled"), path, {absl::StrCat("event ", index)});
    }
  }
}

TEST(ReplayBadInput, DeviceConfigTheModelCannotUse) {
  trace::Header header = TestHeader();
  header.mutable_device()->set_page_size(3000);
  const std::string path = TestPath("bad-device.trace");
  ASSERT_TRUE(WriteTestTrace(path, header, {}).ok());
  ExpectBadInput(Replay(path, "decoupled"), path, {"header: ", "page_size 3000"});
}

TEST(ReplayBadInput, TargetPageSizeTheModelCannotUse) {
  trace::Header header = TestHeader();
  header.mutable_device()->set_target_page_size(0x3000);
  const std::string path = TestPath("bad-target-page.trace");
  ASSERT_TRUE(WriteTestTrace(path, header, {}).ok());
  ExpectBadInput(Replay(path, "decoupled"), path, {"header: ", "target_page_size 12288"});
}

// The guest's page travels in the header only when it differs from the
// host's; a header without it (every trace made before it existed) has one
// page size for both.
TEST(DeviceConfigProto, TargetPageSizeRoundTripsAndDefaultsToTheHostsPage) {
  DeviceConfig c;
  c.page_size = 0x10000;
  c.target_page_size = 0x1000;
  trace::DeviceConfig p = DeviceConfigToProto(c);
  EXPECT_EQ(p.target_page_size(), 0x1000u);
  absl::StatusOr<DeviceConfig> back = DeviceConfigFromProto(p);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->page_size, 0x10000u);
  EXPECT_EQ(back->target_page_size, 0x1000u);

  c.target_page_size = c.page_size;
  p = DeviceConfigToProto(c);
  EXPECT_EQ(p.target_page_size(), 0u);  // left out: old bytes stay the same
  back = DeviceConfigFromProto(p);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->target_page_size, 0x10000u);
}

TEST(ReplayBadInput, ImplausibleAddressSpaceCount) {
  trace::Header header = TestHeader();
  header.mutable_device()->set_num_address_spaces(0xffffffff);
  const std::string path = TestPath("many-address-spaces.trace");
  ASSERT_TRUE(WriteTestTrace(path, header, {}).ok());
  ExpectBadInput(ReplayRecorded(path), path, {"header: ", "address spaces"});
}

TEST(ReplayBadInput, UnknownTranslator) {
  const std::string path = TestPath("unknown-translator.trace");
  ASSERT_TRUE(WriteTestTrace(path, TestHeader(), {}).ok());
  ExpectBadInput(Replay(path, "nosuch"), path, {"nosuch", "decoupled"});
}

// The model refuses event `index`: the error names it, its kind and why.
void ExpectRefusedEvent(const std::string& name, const std::vector<Event>& events,
                        uint64_t index, const std::string& kind, const std::string& why) {
  for (const char* ext : kFormats) {
    const std::string path = TestPath(name + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(events)).ok());
    ReplayResult r = Replay(path, "decoupled");
    ExpectBadInput(r, path,
                   {"event " + std::to_string(index) + " (" + kind + "): ", why});
    EXPECT_EQ(r.event_index, index);
  }
}

TEST(ReplayBadInput, DeletingASectionNeverAdded) {
  const Section ram = NamedSection("ram", 0x0, 0x100000, 0x7f0000000000);
  ExpectRefusedEvent("delete-unknown",
                     {ListenerBeginEvent{}, RegionDelEvent{ram}, ListenerCommitEvent{}}, 1,
                     "region_del", "not a live section");
}

TEST(ReplayBadInput, OverlappingGpaSections) {
  const Section a = NamedSection("a", 0x0, 0x200000, 0x7f0000000000);
  const Section b = NamedSection("b", 0x100000, 0x200000, 0x7f1000000000);
  ExpectRefusedEvent("overlap",
                     {ListenerBeginEvent{}, RegionAddEvent{a}, RegionAddEvent{b},
                      ListenerCommitEvent{}},
                     2, "region_add", "overlap");
}

TEST(ReplayBadInput, SectionWrappingPast2To64) {
  const Section wraps = NamedSection("wraps", 0xfffffffffff00000, 0x200000, 0x7f0000000000);
  ExpectRefusedEvent("wraps", {ListenerBeginEvent{}, RegionAddEvent{wraps}}, 1,
                     "region_add", "wraps past 2^64");
}

TEST(ReplayBadInput, UnbalancedTransaction) {
  const Section ram = NamedSection("ram", 0x0, 0x100000, 0x7f0000000000);
  ExpectRefusedEvent("no-begin", {RegionAddEvent{ram}}, 0, "region_add",
                     "outside a listener transaction");
  ExpectRefusedEvent("double-begin", {ListenerBeginEvent{}, ListenerBeginEvent{}}, 1,
                     "listener_begin", "inside a transaction");
}

TEST(ReplayBadInput, EventWithNoKind) {
  std::vector<trace::Event> events = InputsOnly({ListenerBeginEvent{}});
  events.push_back(trace::Event());  // no oneof set
  for (const char* ext : kFormats) {
    const std::string path = TestPath(std::string("no-kind") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), events).ok());
    ReplayResult r = Replay(path, "decoupled");
    ExpectBadInput(r, path, {"event 1: ", "no known kind"});
    EXPECT_EQ(r.event_index, 1u);
  }
}

// Every single-byte corruption and every truncation of a binary trace ends in
// a verdict, never a crash; a bad-input verdict is one line naming the file.
TEST(ReplayBadInput, CorruptedAndTruncatedFilesNeverCrash) {
  absl::StatusOr<std::vector<trace::Event>> recorded =
      RecordRun("decoupled", DeviceConfig{}, AliasingScenario());
  ASSERT_TRUE(recorded.ok());
  const std::string original = TestPath("corrupt-original.trace");
  ASSERT_TRUE(WriteTestTrace(original, TestHeader(), *recorded).ok());
  const std::string bytes = ReadBytes(original);
  const std::string path = TestPath("corrupt.trace");
  auto check = [&](const std::string& variant, const std::string& what) {
    WriteBytes(path, variant);
    for (bool recorded_mode : {false, true}) {
      ReplayOptions options;
      options.recorded = recorded_mode;
      ReplayResult r = ReplayTrace(path, options);
      if (r.verdict != ReplayVerdict::kBadInput) continue;
      EXPECT_TRUE(absl::StartsWith(r.report, path + ": ")) << what << ": " << r.report;
      EXPECT_FALSE(absl::StrContains(r.report, "\n")) << what << ": " << r.report;
    }
  };
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string variant = bytes;
      variant[i] = static_cast<char>(variant[i] ^ flip);
      check(variant, "byte " + std::to_string(i) + " ^ " + std::to_string(flip));
    }
    check(bytes.substr(0, i), "cut at " + std::to_string(i));
  }
}

TEST(ReplayBadInput, MissingFile) {
  const std::string path = TestPath("does-not-exist.trace");
  ExpectBadInput(Replay(path, "decoupled"), path, {"cannot open"});
}

}  // namespace
}  // namespace iovacheck
