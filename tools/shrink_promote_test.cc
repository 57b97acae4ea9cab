// `iovacheck shrink` and `iovacheck promote` as commands: what they write,
// what they refuse, and that a promoted case replays as the regression test
// will replay it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <dirent.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/buried_alias_trace.h"
#include "tools/promote_command.h"
#include "tools/shrink_command.h"
#include "traces/replay.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "traces/trace_test_util.h"

namespace iovacheck {
namespace {

using ::testing::internal::CaptureStderr;
using ::testing::internal::CaptureStdout;
using ::testing::internal::GetCapturedStderr;
using ::testing::internal::GetCapturedStdout;

// A generated trace with the aliasing bug, inputs only, as a binary file.
std::string WriteFailing(const std::string& name, trace::Header header = {}) {
  BuriedAliasOptions options;
  options.min_input_events = 800;
  const BuriedAliasTrace generated = MakeBuriedAliasTrace(options);
  const trace::Header base = TestHeader(generated.config);
  header.set_format_version(base.format_version());
  *header.mutable_device() = base.device();
  if (!header.has_producer()) *header.mutable_producer() = base.producer();
  const std::string path = TestPath(name);
  EXPECT_TRUE(WriteTestTrace(path, header, InputsOnly(generated.events)).ok());
  return path;
}

struct CommandRun {
  int status;
  std::string out, err;
};

CommandRun Shrink(ShrinkCommand c) {
  CaptureStdout();
  CaptureStderr();
  const int status = RunShrink(c);
  const std::string out = GetCapturedStdout();
  return CommandRun{status, out, GetCapturedStderr()};
}

CommandRun Promote(const PromoteCommand& c) {
  CaptureStdout();
  CaptureStderr();
  const int status = RunPromote(c);
  const std::string out = GetCapturedStdout();
  return CommandRun{status, out, GetCapturedStderr()};
}

// As the regression runner judges a case: every expectation holds.
void ExpectVerdictsHold(const std::string& path) {
  absl::StatusOr<trace::Trace> t = ReadWholeTrace(path);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_GT(t->header().expect_size(), 0);
  for (const trace::Expectation& want : t->header().expect()) {
    ReplayOptions options;
    options.recorded = want.translator() == "recorded";
    options.translator = want.translator();
    const ReplayResult got = ReplayTrace(path, options);
    if (want.verdict() == trace::Expectation::PASS) {
      EXPECT_EQ(got.verdict, ReplayVerdict::kPass) << want.translator() << ": " << got.report;
    } else {
      ASSERT_EQ(got.verdict, ReplayVerdict::kFail) << want.translator() << ": " << got.report;
      EXPECT_EQ(OracleRuleName(got.divergence->rule), want.rule()) << want.translator();
      EXPECT_EQ(got.event_index, want.event_index()) << want.translator();
    }
  }
}

int InputEvents(const trace::Trace& t) {
  int n = 0;
  for (const trace::Event& e : t.events()) {
    n += e.has_listener_begin() || e.has_listener_commit() ? 0 : 1;
  }
  return n;
}

// The shrunk trace of a generated failure, written once for the tests below.
const std::string& Minimal() {
  static const std::string* path = [] {
    auto* out = new std::string(TestPath("minimal.textproto"));
    ShrinkCommand c;
    c.input = WriteFailing("failing.trace");
    c.output = *out;
    c.translator = "legacy";
    const CommandRun r = Shrink(c);
    EXPECT_EQ(r.status, 0) << r.err;
    return out;
  }();
  return *path;
}

TEST(ShrinkCommand, WritesAOneMinimalTraceWithItsVerdicts) {
  ShrinkCommand c;
  c.input = WriteFailing("failing-summary.trace");
  c.output = TestPath("summary.textproto");
  c.translator = "legacy";
  const CommandRun r = Shrink(c);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "-> 3 input events (listener_begin/commit not counted)"))
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "failure kept: rule coverage at a region_del")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "1-minimal")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "region_add  smram-open-high")) << r.out;
  EXPECT_TRUE(r.err.empty()) << "no progress line when stderr is not a terminal: " << r.err;

  absl::StatusOr<trace::Trace> t = ReadWholeTrace(c.output);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(InputEvents(*t), 3);
  const trace::Producer& p = t->header().producer();
  EXPECT_EQ(p.tool(), "iovacheck shrink");
  EXPECT_EQ(p.translator(), "legacy");
  EXPECT_TRUE(absl::StartsWith(p.source(), "shrunk from " + c.input)) << p.source();
  ASSERT_EQ(t->header().expect_size(), 3);
  EXPECT_EQ(t->header().expect(0).translator(), "decoupled");
  EXPECT_EQ(t->header().expect(0).verdict(), trace::Expectation::PASS);
  EXPECT_EQ(t->header().expect(1).translator(), "legacy");
  EXPECT_EQ(t->header().expect(1).rule(), "coverage");
  EXPECT_EQ(t->header().expect(2).translator(), "recorded");
  ExpectVerdictsHold(c.output);
}

TEST(ShrinkCommand, TakesTheTranslatorFromTheHeader) {
  trace::Header h;
  trace::Expectation* e = h.add_expect();
  e->set_translator("legacy");
  e->set_verdict(trace::Expectation::FAIL);
  EXPECT_EQ(DefaultShrinkTranslator(h), "legacy");
  EXPECT_EQ(DefaultShrinkTranslator(trace::Header{}), "decoupled");

  ShrinkCommand c;
  c.input = WriteFailing("failing-with-expect.trace", h);
  c.output = TestPath("from-header.trace");
  const CommandRun r = Shrink(c);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "against legacy")) << r.out;
}

TEST(ShrinkCommand, ShrinksRecordedOutputs) {
  const DeviceConfig config;
  absl::StatusOr<std::vector<trace::Event>> recorded =
      RecordRun("legacy", config, AliasingScenario());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ShrinkCommand c;
  c.input = TestPath("recorded.trace");
  ASSERT_TRUE(WriteTestTrace(c.input, TestHeader(config), *recorded).ok());
  c.output = TestPath("recorded-minimal.textproto");
  c.recorded = true;
  const CommandRun r = Shrink(c);
  ASSERT_EQ(r.status, 0) << r.err;
  absl::StatusOr<trace::Trace> t = ReadWholeTrace(c.output);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(InputEvents(*t), 3);  // high RAM went, with its UPDATE
  ExpectVerdictsHold(c.output);
}

TEST(ShrinkCommand, RefusesToOverwriteItsInput) {
  ShrinkCommand c;
  c.input = WriteFailing("keep-me.trace");
  const std::string before = ReadBytes(c.input);
  c.output = c.input;
  c.translator = "legacy";
  CommandRun r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "is the input itself")) << r.err;
  // The same file by another name.
  c.output = TestPath("./keep-me.trace");
  r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(ReadBytes(c.input), before);
}

TEST(ShrinkCommand, BadInputIsOneLineAndExit2) {
  ShrinkCommand c;
  c.output = TestPath("never.trace");
  c.input = TestPath("no-such.trace");
  CommandRun r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, c.input)) << r.err;

  c.input = TestPath("garbage.trace");
  WriteBytes(c.input, "\x89IOVTRC\n\x05zzzzz");
  r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StartsWith(r.err, "iovacheck shrink: " + c.input)) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  c.input = WriteFailing("passes.trace");
  c.translator = "decoupled";
  r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "nothing to shrink")) << r.err;

  c.recorded = true;  // the trace holds inputs only
  r = Shrink(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "records no outputs")) << r.err;
  c.recorded = false;

  c.translator = "nosuch";
  EXPECT_EQ(Shrink(c).status, 2);
  c.translator = "legacy";
  c.budget_seconds = 0;
  EXPECT_EQ(Shrink(c).status, 2);
  c.budget_seconds = 60;
  c.output.clear();
  EXPECT_EQ(Shrink(c).status, 2);

  struct stat st;
  EXPECT_NE(::stat(TestPath("never.trace").c_str(), &st), 0) << "a refused run wrote output";
}

std::string FreshDir(const std::string& name) {
  const std::string dir = TestPath(name);
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

PromoteCommand PromoteInto(const std::string& dir, const std::string& name) {
  PromoteCommand c;
  c.minimal = Minimal();
  c.name = name;
  c.regressions_dir = dir;
  c.now = absl::FromCivil(absl::CivilDay(2026, 11, 21), absl::UTCTimeZone());
  return c;
}

TEST(PromoteCommand, WritesTheCaseWithAHeaderAndNeverOverwrites) {
  const std::string dir = FreshDir("regressions");
  const PromoteCommand c = PromoteInto(dir, "buried_alias_delete");
  CommandRun r = Promote(c);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string path = dir + "/buried_alias_delete.textproto";
  EXPECT_TRUE(absl::StrContains(r.out, "//traces:regression_buried_alias_delete")) << r.out;
  const std::string text = ReadBytes(path);
  EXPECT_TRUE(absl::StartsWith(text, "# Regression case buried_alias_delete, promoted by "
                                     "iovacheck promote on 2026-11-21 from "))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "# Found: legacy fails under rule coverage at event 7 (region_del); recorded"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "source: shrunk from ")) << text;
  ExpectVerdictsHold(path);
  absl::StatusOr<trace::Trace> promoted = ReadWholeTrace(path);
  absl::StatusOr<trace::Trace> minimal = ReadWholeTrace(Minimal());
  ASSERT_TRUE(promoted.ok() && minimal.ok());
  EXPECT_EQ(promoted->SerializeAsString(), minimal->SerializeAsString());

  // Again under the same name: refused, the case untouched.
  r = Promote(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "refusing to overwrite")) << r.err;
  EXPECT_EQ(ReadBytes(path), text);
  // A binary case of that name would give the same test name.
  WriteBytes(dir + "/taken.trace", "x");
  EXPECT_EQ(Promote(PromoteInto(dir, "taken")).status, 2);

  // No scratch directory is left behind.
  DIR* d = ::opendir(dir.c_str());
  ASSERT_NE(d, nullptr);
  while (dirent* e = ::readdir(d)) {
    EXPECT_FALSE(absl::StartsWith(e->d_name, ".promote-")) << e->d_name;
  }
  ::closedir(d);
}

TEST(PromoteCommand, RefusesWhatTheRegressionTestCouldNotReplay) {
  const std::string dir = FreshDir("regressions-refused");
  EXPECT_EQ(Promote(PromoteInto(dir, "bad.name")).status, 2);
  EXPECT_EQ(Promote(PromoteInto(dir, "")).status, 2);
  EXPECT_EQ(Promote(PromoteInto(dir + "/missing", "ok")).status, 2);

  // No expectations in the header.
  PromoteCommand c = PromoteInto(dir, "no_verdicts");
  absl::StatusOr<trace::Trace> t = ReadWholeTrace(Minimal());
  ASSERT_TRUE(t.ok());
  t->mutable_header()->clear_expect();
  c.minimal = TestPath("no-verdicts.textproto");
  ASSERT_TRUE(WriteWholeTrace(c.minimal, *t).ok());
  CommandRun r = Promote(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "no expected verdicts")) << r.err;

  // Verdicts that do not hold.
  t = ReadWholeTrace(Minimal());
  t->mutable_header()->mutable_expect(0)->set_verdict(trace::Expectation::FAIL);
  c.name = "wrong_verdicts";
  c.minimal = TestPath("wrong-verdicts.textproto");
  ASSERT_TRUE(WriteWholeTrace(c.minimal, *t).ok());
  r = Promote(c);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "want decoupled FAIL")) << r.err;

  struct stat st;
  EXPECT_NE(::stat((dir + "/wrong_verdicts.textproto").c_str(), &st), 0);
  EXPECT_NE(::stat((dir + "/no_verdicts.textproto").c_str(), &st), 0);
}

}  // namespace
}  // namespace iovacheck
