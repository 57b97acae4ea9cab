// A write interrupted before it did anything (EINTR) is written again, up to
// kMaxWriteAttempts times, by both translators.
#include <cerrno>
#include <vector>

#include "translator/both_translators.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;
using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;

constexpr uint64_t kHva = 0x7f0000000000;

class InterruptedWriteTest : public BothTranslatorsTest {
 protected:
  void Interrupt(int times) {
    for (int i = 0; i < times; ++i) ch_.FailNext(EINTR, 0);
  }
};

TEST_P(InterruptedWriteTest, RetriedUntilItGoesThrough) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  Interrupt(3);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kHva)), 0);
  const IotlbMsg update = Update(0, 0x1000, 0x2000, kHva, kPermRW);
  EXPECT_EQ(TakeMessages(), (Msgs{update, update, update, update}));
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x2000}}));

  Interrupt(1);
  EXPECT_EQ(t_->RegionDel(Section(0x0, 0x2000, kHva)), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x1000, 0x2000),
                                  Invalidate(0, 0x1000, 0x2000)}));
  EXPECT_TRUE(t_->Allocations().empty());
}

TEST_P(InterruptedWriteTest, TheLastAttemptMaySucceed) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  Interrupt(kMaxWriteAttempts - 1);
  EXPECT_EQ(t_->MapHostBuffer(kHva, 0x1000, kPermRO, 1), 0);
  EXPECT_EQ(TakeMessages().size(), size_t{kMaxWriteAttempts});
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x1000}}));
}

TEST_P(InterruptedWriteTest, BatchMarkersAreRetriedToo) {
  Make(DeviceConfig{});
  t_->ListenerBegin();
  Interrupt(1);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x1000, kHva)), 0);
  Interrupt(2);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(),
            (Msgs{BatchMsg(kIotlbBatchBegin), BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x1000, 0x1000, kHva, kPermRW),
                  BatchMsg(kIotlbBatchEnd), BatchMsg(kIotlbBatchEnd),
                  BatchMsg(kIotlbBatchEnd)}));
}

TEST_P(InterruptedWriteTest, EveryAttemptInterruptedIsAnErrorAndUndone) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  Interrupt(kMaxWriteAttempts);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kHva)), EINTR);
  EXPECT_EQ(TakeMessages(),
            Msgs(kMaxWriteAttempts, Update(0, 0x1000, 0x2000, kHva, kPermRW)));
  EXPECT_TRUE(t_->Allocations().empty());

  Interrupt(kMaxWriteAttempts);
  EXPECT_EQ(t_->MapHostBuffer(kHva + 0x100000, 0x1000, kPermRW, 1), EINTR);
  EXPECT_EQ(TakeMessages().size(), size_t{kMaxWriteAttempts});
  EXPECT_TRUE(t_->Allocations().empty());

  // Nothing was held: the del sends nothing and the IOVA is handed out again.
  EXPECT_EQ(t_->RegionDel(Section(0x0, 0x2000, kHva)), 0);
  EXPECT_TRUE(TakeMessages().empty());
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kHva)), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x1000, 0x2000, kHva, kPermRW)}));
}

TEST_P(InterruptedWriteTest, OtherErrorsAreNotRetried) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  ch_.FailNext(EFAULT, EEXIST);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kHva)), EFAULT);
  EXPECT_EQ(TakeMessages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Translators, InterruptedWriteTest,
                         ::testing::ValuesIn(BothTranslators()),
                         TranslatorParamName);

}  // namespace
}  // namespace iovacheck
