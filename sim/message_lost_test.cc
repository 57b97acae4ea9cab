// Fault site message_lost: a write fails with EINTR having done nothing.
// Decoupled writes the message again; a variant that believes the lost
// message arrived is caught (a missing or a stale mapping).
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "sim/fault_site_test_util.h"

namespace iovacheck {
namespace {

TEST(MessageLost, EveryMessageIsLostAndDecoupledWritesItAgain) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kMessageLost}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h = Drive(DeviceConfig{}, kDecoupled, &faults, SmallRun());
  ASSERT_FALSE(h->failed()) << Why(*h);

  // region_add of low: BATCH_BEGIN and UPDATE, each lost three times.
  const StepRecord& add = h->log()[1];
  ASSERT_EQ(add.sent.size(), 8u) << FormatLog({add});
  EXPECT_EQ(add.faults.size(), 6u);
  for (const InjectedFault& f : add.faults) {
    EXPECT_EQ(f.site, "message_lost");
    EXPECT_EQ(f.error, EINTR);
    EXPECT_FALSE(f.excuses_mapping);
  }
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(add.sent[i].msg.type, kIotlbBatchBegin);
  for (size_t i = 4; i < 8; ++i) EXPECT_EQ(add.sent[i].msg.type, kIotlbUpdate);
  EXPECT_TRUE(add.sent[7].result.ok());
  EXPECT_EQ(add.rc, 0);
  EXPECT_EQ(DeviceEntries(*h), 3u);  // low and both ring areas
  EXPECT_TRUE(absl::StrContains(FormatLog(h->log()), "[fault: message_lost]"));
}

// Believes a lost write arrived: an EINTR answer is taken for success, and
// the message is never written again.
class BelievesLostArrived : public IotlbChannel {
 public:
  explicit BelievesLostArrived(IotlbChannel* inner) : inner_(inner) {}
  WriteResult Write(const IotlbMsg& msg) override {
    const WriteResult r = inner_->Write(msg);
    return r.err == EINTR ? WriteResult{} : r;
  }

 private:
  IotlbChannel* inner_;
};

class NoRetry : public ShimmedDecoupled<BelievesLostArrived> {
 public:
  NoRetry(const DeviceConfig& config, IotlbChannel* channel)
      : ShimmedDecoupled({config, std::make_unique<BelievesLostArrived>(channel)}) {}
};

TEST(MessageLost, ATranslatorThatDoesNotRetryIsCaught) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kMessageLost}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h =
      Drive(DeviceConfig{}, VariantFactory<NoRetry>(), &faults, SmallRun());
  ASSERT_TRUE(h->failed());
  // Low's UPDATE never reached the device.
  EXPECT_EQ(h->divergence()->rule, OracleRule::kCoverage) << Why(*h);
  EXPECT_EQ(h->divergence_index(), 1u) << Why(*h);
}

TEST(MessageLost, ALostInvalidateNotWrittenAgainLeavesAStaleMapping) {
  // Only the region_del's INVALIDATE is lost (recorded faults aim it).
  RecordedChannelFaults faults;
  HarnessOptions options;
  options.faults = &faults;
  const std::vector<Event> events = SmallRun();
  for (const auto& [factory, stale] :
       {std::pair{kDecoupled, false}, std::pair{VariantFactory<NoRetry>(), true}}) {
    Harness h(DeviceConfig{}, factory, options);
    for (size_t i = 0; i < events.size(); ++i) {
      // Message 0 is the BATCH_BEGIN, 1 the INVALIDATE.
      faults.Load(i == 9 ? std::vector<InjectedFault>{{1, "message_lost", EINTR, false}}
                         : std::vector<InjectedFault>{});
      ASSERT_TRUE(h.Step(events[i]).ok());
    }
    ASSERT_EQ(h.failed(), stale) << Why(h);
    if (!stale) continue;
    EXPECT_EQ(h.divergence()->rule, OracleRule::kStale) << Why(h);
    EXPECT_EQ(h.divergence_index(), 9u) << Why(h);
  }
}

}  // namespace
}  // namespace iovacheck
