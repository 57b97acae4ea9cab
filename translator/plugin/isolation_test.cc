// A plug-in that crashes, aborts, exits or hangs becomes a verdict with the
// event's index, and iovacheck's own process carries on.
#include <string>

#include "gtest/gtest.h"
#include "sim/harness.h"
#include "translator/plugin/plugin_translator.h"
#include "translator/plugin/testdata/runfile.h"

namespace iovacheck {
namespace {

// The GPAs at which testdata/misbehaving_plugin.c misbehaves.
constexpr uint64_t kNullDereference = 0x10000000;
constexpr uint64_t kAbort = 0x20000000;
constexpr uint64_t kExit = 0x30000000;
constexpr uint64_t kSpin = 0x40000000;
constexpr uint64_t kSleep = 0x50000000;
constexpr uint64_t kLogThenAbort = 0x60000000;

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = PluginIsolationLimits();
    PluginIsolationLimits().cpu_seconds = 0.3;
    PluginIsolationLimits().wall_seconds = 2;
  }
  void TearDown() override { PluginIsolationLimits() = saved_; }

  // listener_begin, then region_add of a section at `gpa`: the second event.
  Divergence RunToDeath(uint64_t gpa) {
    absl::StatusOr<TranslatorFactory> factory =
        PluginTranslatorFactory(Runfile("translator/plugin/misbehaving_plugin.so"));
    EXPECT_TRUE(factory.ok()) << factory.status();
    Harness h(DeviceConfig{}, *factory);
    EXPECT_TRUE(h.Step(ListenerBeginEvent{}).ok());
    EXPECT_FALSE(h.failed());
    Section s;
    s.gpa = gpa;
    s.size = 0x1000;
    s.hva = 0x7f0000000000;
    s.name = "ram";
    EXPECT_TRUE(h.Step(RegionAddEvent{s}).ok());
    EXPECT_TRUE(h.failed());
    EXPECT_EQ(h.divergence_index(), 1u);
    // Later events are ignored, as after any divergence, and nothing blocks.
    EXPECT_TRUE(h.Step(ListenerCommitEvent{}).ok());
    return h.divergence().value_or(Divergence{});
  }

 private:
  IsolationLimits saved_;
};

TEST_F(IsolationTest, NullDereferenceIsACrashWithItsSignal) {
  Divergence d = RunToDeath(kNullDereference);
  EXPECT_EQ(d.rule, OracleRule::kCrash);
  EXPECT_EQ(d.death, "SIGSEGV");
  EXPECT_EQ(d.actual, "CRASH signal 11 (SIGSEGV) at event 1");
}

TEST_F(IsolationTest, AbortIsACrashWithSigabrt) {
  Divergence d = RunToDeath(kAbort);
  EXPECT_EQ(d.rule, OracleRule::kCrash);
  EXPECT_EQ(d.death, "SIGABRT");
  EXPECT_EQ(d.actual, "CRASH signal 6 (SIGABRT) at event 1");
}

TEST_F(IsolationTest, ExitInsideThePluginIsACrashWithItsStatus) {
  Divergence d = RunToDeath(kExit);
  EXPECT_EQ(d.rule, OracleRule::kCrash);
  EXPECT_EQ(d.death, "exit 3");
  EXPECT_EQ(d.actual, "CRASH exit status 3 at event 1");
}

TEST_F(IsolationTest, SpinningIsAHangByCpuTime) {
  Divergence d = RunToDeath(kSpin);
  EXPECT_EQ(d.rule, OracleRule::kHang);
  EXPECT_EQ(d.death, "hang");
  EXPECT_EQ(d.actual, "HANG at event 1 (no answer after 0.3 s of CPU)");
}

TEST_F(IsolationTest, BlockingIsAHangByWaiting) {
  Divergence d = RunToDeath(kSleep);
  EXPECT_EQ(d.rule, OracleRule::kHang);
  EXPECT_EQ(d.actual, "HANG at event 1 (no answer after 2 s of waiting)");
}

TEST_F(IsolationTest, TheLastLogLinesComeWithTheCrash) {
  Divergence d = RunToDeath(kLogThenAbort);
  EXPECT_EQ(d.rule, OracleRule::kCrash);
  EXPECT_NE(d.actual.find("plug-in log: assertion failed: about to abort"), std::string::npos)
      << d.actual;
}

TEST_F(IsolationTest, ManyInstancesComeAndGoWithoutLeavingProcesses) {
  absl::StatusOr<TranslatorFactory> factory =
      PluginTranslatorFactory(Runfile("translator/plugin/misbehaving_plugin.so"));
  ASSERT_TRUE(factory.ok());
  for (int i = 0; i < 50; ++i) {
    Harness h(DeviceConfig{}, *factory);
    ASSERT_TRUE(h.Step(ListenerBeginEvent{}).ok());
    ASSERT_TRUE(h.Step(ListenerCommitEvent{}).ok());
    ASSERT_FALSE(h.failed());
  }
}

}  // namespace
}  // namespace iovacheck
