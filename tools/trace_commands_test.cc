// `iovacheck replay` and `iovacheck show` as the user sees them: what they
// print and the exit status.
#include <gtest/gtest.h>

#include <iostream>

#include "absl/strings/match.h"
#include "tools/replay_command.h"
#include "tools/show_command.h"
#include "traces/trace_test_util.h"

namespace iovacheck {
namespace {

using ::testing::internal::CaptureStderr;
using ::testing::internal::CaptureStdout;
using ::testing::internal::GetCapturedStderr;
using ::testing::internal::GetCapturedStdout;

std::string AliasingTrace(const std::string& name) {
  const std::string path = TestPath(name);
  EXPECT_TRUE(WriteTestTrace(path, TestHeader(), InputsOnly(AliasingScenario())).ok());
  return path;
}

TEST(ReplayCommand, PassPrintsOneLine) {
  const std::string path = AliasingTrace("cmd-pass.trace");
  CaptureStdout();
  const int rc = RunReplay(path, "decoupled", false, std::nullopt, "");
  const std::string out = GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, "PASS " + path + ": 8 events\n");
}

TEST(ReplayCommand, FailPrintsTheReport) {
  const std::string path = AliasingTrace("cmd-fail.textproto");
  CaptureStdout();
  const int rc = RunReplay(path, "legacy", false, std::nullopt, "");
  const std::string out = GetCapturedStdout();
  EXPECT_EQ(rc, 1);
  EXPECT_TRUE(absl::StartsWith(out, path + ": divergence at event 6 (region_del)")) << out;
  EXPECT_TRUE(absl::StrContains(out, "live mappings around the addresses involved")) << out;
}

TEST(ReplayCommand, BadInputIsOneLineOnStderr) {
  const std::string path = TestPath("cmd-garbage.trace");
  WriteBytes(path, "nonsense");
  CaptureStderr();
  const int rc = RunReplay(path, "decoupled", false, std::nullopt, "");
  const std::string err = GetCapturedStderr();
  EXPECT_EQ(rc, 2);
  EXPECT_TRUE(absl::StrContains(err, path + ": byte 0")) << err;
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

TEST(ShowCommand, PrintsHeaderEventsAndRecordedMessages) {
  const std::string path = TestPath("cmd-show.trace");
  trace::Header header = TestHeader();
  trace::Expectation* expect = header.add_expect();
  expect->set_translator("legacy");
  expect->set_verdict(trace::Expectation::FAIL);
  expect->set_rule("coverage");
  expect->set_event_index(6);
  absl::StatusOr<std::vector<trace::Event>> recorded =
      RecordRun("legacy", DeviceConfig{}, AliasingScenario());
  ASSERT_TRUE(recorded.ok());
  ASSERT_TRUE(WriteTestTrace(path, header, *recorded).ok());
  CaptureStdout();
  const int rc = RunShow(path);
  const std::string out = GetCapturedStdout();
  std::cout << out;
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(absl::StrContains(out, "producer: tool \"iovacheck tests\"")) << out;
  EXPECT_TRUE(absl::StrContains(out, "device: iova [0x0, 0xffffffffffffffff]")) << out;
  EXPECT_TRUE(absl::StrContains(out, "expect: legacy FAIL rule coverage at event 6")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\n#0 listener_begin\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\n#6 region_del  smram-open-high")) << out;
  EXPECT_TRUE(absl::StrContains(out, "      -> INVALIDATE v2 asid 0 iova [0x1000, 0x20fff]"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "=> ok\n")) << out;
}

TEST(ShowCommand, BadInputIsOneLineAndExit2) {
  const std::string path = TestPath("cmd-show-bad.textproto");
  WriteBytes(path, "header { format_version: 1 device { page_size: 4096 } }\nevents { nope {} }\n");
  CaptureStderr();
  const int rc = RunShow(path);
  const std::string err = GetCapturedStderr();
  EXPECT_EQ(rc, 2);
  EXPECT_TRUE(absl::StrContains(err, path + ": line 2")) << err;
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

}  // namespace
}  // namespace iovacheck
