// Replaying traces whose events carry injected faults: the faults are
// injected again, in translator and in recorded mode, so a simulator trace
// with faults replays the way it ran.
#include <gtest/gtest.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "model/iotlb_msg.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "traces/replay.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

constexpr const char* kFormats[] = {".trace", ".textproto"};
constexpr uint64_t kMiB = 0x100000;

const Section kLow = NamedSection("ram-low", 0, kMiB, 0x7f0000000000);
const Section kHigh = NamedSection("ram-high", kMiB, kMiB, 0x7f0000100000);

Iovec In(const Section& s, uint64_t offset, bool device_writes) {
  return Iovec{s.gpa + offset, s.hva + offset, 0x1000, true, device_writes};
}

// Two sections in one transaction, a buffer in each translated.
std::vector<Event> TwoSections() {
  return {ListenerBeginEvent{},
          RegionAddEvent{kLow},  // 1
          RegionAddEvent{kHigh},
          ListenerCommitEvent{},
          TranslateEvent{{In(kLow, 0x3000, true)}},
          TranslateEvent{{In(kHigh, 0x3000, false)}}};
}
constexpr size_t kLowAdd = 1;

InjectedFault Rejected(size_t message_index) {
  return {message_index, "device_rejects_update", EFAULT, true};
}

// Records decoupled's run, `faults[i]` injected while event i is handled.
std::vector<trace::Event> RecordWithFaults(const std::vector<Event>& events,
                                           const std::vector<std::vector<InjectedFault>>& faults) {
  RecordedChannelFaults channel;
  HarnessOptions options;
  options.faults = &channel;
  Harness h(DeviceConfig{}, *FindTranslator("decoupled"), options);
  std::vector<trace::Event> out;
  for (size_t i = 0; i < events.size(); ++i) {
    channel.Load(i < faults.size() ? faults[i] : std::vector<InjectedFault>{});
    EXPECT_TRUE(h.Step(events[i]).ok());
    out.push_back(StepToProto(h.log().back()));
  }
  EXPECT_FALSE(h.failed()) << FormatLog(h.log());
  return out;
}

std::vector<trace::Event> WithoutFaults(std::vector<trace::Event> events) {
  for (trace::Event& e : events) e.clear_faults();
  return events;
}

ReplayResult Replay(const std::string& path, const std::string& translator) {
  ReplayOptions options;
  options.translator = translator;
  return ReplayTrace(path, options);
}

ReplayResult ReplayRecorded(const std::string& path) {
  ReplayOptions options;
  options.recorded = true;
  return ReplayTrace(path, options);
}

// low's UPDATE (message 1, after BATCH_BEGIN) refused by the device.
std::vector<trace::Event> LowRefused() {
  std::vector<std::vector<InjectedFault>> faults(kLowAdd + 1);
  faults[kLowAdd] = {Rejected(1)};
  return RecordWithFaults(TwoSections(), faults);
}

TEST(ReplayFaults, TheRecordingHoldsTheFaultAndTheRefusal) {
  const std::vector<trace::Event> events = LowRefused();
  const trace::Event& add = events[kLowAdd];
  ASSERT_EQ(add.faults_size(), 1);
  EXPECT_EQ(add.faults(0).site(), "device_rejects_update");
  EXPECT_EQ(add.faults(0).message_index(), 1u);
  EXPECT_TRUE(add.faults(0).excuses_mapping());
  ASSERT_EQ(add.sent_size(), 2);
  EXPECT_EQ(add.sent(1).type(), kIotlbUpdate);
  EXPECT_EQ(add.sent(1).error(), EFAULT);
  EXPECT_EQ(add.rc(), EFAULT);
  // The buffer in low was refused, the one in high translated.
  EXPECT_EQ(events[4].rc(), EFAULT);
  EXPECT_EQ(events[5].rc(), 0);
}

TEST(ReplayFaults, ARefusedRegionAddReplaysInEveryMode) {
  for (const char* ext : kFormats) {
    SCOPED_TRACE(ext);
    const std::string path = TestPath(std::string("low-refused") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), LowRefused()).ok());
    // The translators meet the refusal again, report it and undo the
    // allocation; the model then expects low absent and its buffer refused.
    for (const char* translator : {"decoupled", "legacy"}) {
      ReplayResult r = Replay(path, translator);
      EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << translator << "\n" << r.report;
    }
    // The recording's EFAULT is the fault's answer, not the device's.
    ReplayResult recorded = ReplayRecorded(path);
    EXPECT_EQ(recorded.verdict, ReplayVerdict::kPass) << recorded.report;
  }
}

TEST(ReplayFaults, WithoutTheFaultRecordTheRefusalIsNotInjected) {
  for (const char* ext : kFormats) {
    SCOPED_TRACE(ext);
    const std::string path = TestPath(std::string("low-refused-unrecorded") + ext);
    ASSERT_TRUE(WriteTestTrace(path, TestHeader(), WithoutFaults(LowRefused())).ok());
    // The emulated device accepts the UPDATE the recording says was refused:
    // proof that the pass above came from the injected fault.
    ReplayResult recorded = ReplayRecorded(path);
    ASSERT_EQ(recorded.verdict, ReplayVerdict::kFail) << recorded.report;
    EXPECT_EQ(recorded.divergence->rule, OracleRule::kRecordedAnswer);
    EXPECT_EQ(recorded.event_index, kLowAdd);
    // A translator now maps low, and the model expects it mapped: a pass.
    ReplayResult decoupled = Replay(path, "decoupled");
    EXPECT_EQ(decoupled.verdict, ReplayVerdict::kPass) << decoupled.report;
  }
}

// Hand-written: inputs only, and low's UPDATE lost `times` in a row
// (message 0 is the BATCH_BEGIN, attempts of the UPDATE follow).
std::vector<trace::Event> LowLost(size_t times) {
  std::vector<trace::Event> events = InputsOnly(TwoSections());
  for (size_t i = 1; i <= times; ++i) {
    trace::InjectedFault* f = events[kLowAdd].add_faults();
    f->set_message_index(i);
    f->set_site("message_lost");
    f->set_error(EINTR);
  }
  return events;
}

TEST(ReplayFaults, LostMessagesAreInjectedInTranslatorMode) {
  for (const char* ext : kFormats) {
    SCOPED_TRACE(ext);
    // Seven losses: decoupled writes the UPDATE an eighth time and it lands.
    const std::string seven = TestPath(std::string("low-lost-7") + ext);
    ASSERT_TRUE(WriteTestTrace(seven, TestHeader(), LowLost(7)).ok());
    ReplayResult r = Replay(seven, "decoupled");
    EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;

    // Eight: decoupled gives up with EINTR, which nothing excuses.
    const std::string eight = TestPath(std::string("low-lost-8") + ext);
    ASSERT_TRUE(WriteTestTrace(eight, TestHeader(), LowLost(8)).ok());
    r = Replay(eight, "decoupled");
    std::cout << r.report;
    ASSERT_EQ(r.verdict, ReplayVerdict::kFail);
    EXPECT_EQ(r.divergence->rule, OracleRule::kTranslatorError);
    EXPECT_EQ(r.event_index, kLowAdd);
    EXPECT_TRUE(absl::StrContains(r.report, "[fault: message_lost]")) << r.report;
    EXPECT_TRUE(absl::StrContains(r.report, "Interrupted system call")) << r.report;
  }
}

// A simulated run with both channel sites firing often, recorded, then
// replayed event by event through a fresh harness: the same messages, the
// same answers, the same faults.
TEST(ReplayFaults, ASimulatedRunWithFaultsReplaysIdentically) {
  FaultPlan plan = FaultPlan::Only(
      {FaultSite::kDeviceRejectsUpdate, FaultSite::kMessageLost}, 30, 11);
  SimulatedChannelFaults simulated(&plan);
  HarnessOptions options;
  options.faults = &simulated;
  Harness original(DeviceConfig{}, *FindTranslator("decoupled"), options);
  std::vector<Event> events = TwoSections();
  const std::vector<Event> more = {
      HostMapEvent{HostBuffer{0x7f1000000000, 0x1000, kPermRO, 0, "svq-driver"}},
      HostMapEvent{HostBuffer{0x7f1000001000, 0x1000, kPermRW, 0, "svq-device"}},
      ListenerBeginEvent{}, RegionDelEvent{kHigh}, ListenerCommitEvent{},
      ListenerBeginEvent{}, RegionAddEvent{kHigh}, ListenerCommitEvent{},
      TranslateEvent{{In(kHigh, 0x5000, true)}}};
  events.insert(events.end(), more.begin(), more.end());
  std::vector<trace::Event> recorded;
  for (const Event& e : events) {
    ASSERT_TRUE(original.Step(e).ok());
    recorded.push_back(StepToProto(original.log().back()));
  }
  ASSERT_FALSE(original.failed()) << FormatLog(original.log());
  std::set<std::string> fired;
  for (const StepRecord& r : original.log()) {
    for (const InjectedFault& f : r.faults) fired.insert(f.site);
  }
  EXPECT_EQ(fired, (std::set<std::string>{"device_rejects_update", "message_lost"}));

  trace::Header header = TestHeader();
  for (const std::string& name : plan.EnabledNames()) header.add_faults_enabled(name);
  for (const char* ext : kFormats) {
    SCOPED_TRACE(ext);
    const std::string path = TestPath(std::string("simulated-faults") + ext);
    ASSERT_TRUE(WriteTestTrace(path, header, recorded).ok());
    EXPECT_EQ(Replay(path, "decoupled").verdict, ReplayVerdict::kPass);
    EXPECT_EQ(ReplayRecorded(path).verdict, ReplayVerdict::kPass);

    // What replay does, step by step, keeping the log to compare.
    absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ((*reader)->header().faults_enabled_size(), 2);
    RecordedChannelFaults again;
    HarnessOptions replay_options;
    replay_options.faults = &again;
    Harness replayed(DeviceConfig{}, *FindTranslator("decoupled"), replay_options);
    trace::Event proto;
    while (*(*reader)->Next(&proto)) {
      again.Load(RecordedOutputs(proto)->faults);
      ASSERT_TRUE(replayed.Step(*EventFromProto(proto)).ok());
    }
    EXPECT_EQ(FormatLog(replayed.log()), FormatLog(original.log()));
  }
}

}  // namespace
}  // namespace iovacheck
