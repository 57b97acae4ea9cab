// The vIOMMU notifier on both translators: guest IOVAs mapped as the guest
// names them, replays absorbed, the listener silent.
#include <cerrno>
#include <vector>

#include "translator/both_translators.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;

constexpr uint64_t kHva = 0x7f0000000000;
constexpr uint64_t kHalf = uint64_t{1} << 63;

class IommuTest : public BothTranslatorsTest {
 protected:
  void SetUp() override { Make(WithViommu(DeviceConfig{})); }
};

TEST_P(IommuTest, ListenerMapsNothing) {
  t_->ListenerBegin();
  EXPECT_EQ(t_->RegionAdd(LowRam()), 0);
  EXPECT_EQ(t_->RegionAdd(SmramAlias()), 0);
  EXPECT_EQ(t_->RegionDel(SmramAlias()), 0);
  t_->ListenerCommit();
  EXPECT_TRUE(TakeMessages().empty());
  EXPECT_TRUE(t_->Allocations().empty());
}

TEST_P(IommuTest, MapIsAnUnbatchedUpdateAndNoAllocation) {
  t_->ListenerBegin();
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x10000, 0x2000, kHva, kPermRW)}));
  EXPECT_TRUE(t_->Allocations().empty());
}

TEST_P(IommuTest, IdenticalReplaySendsNothing) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  TakeMessages();
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  EXPECT_TRUE(TakeMessages().empty());
}

TEST_P(IommuTest, DifferentMapOverLiveOnesInvalidatesThemFirst) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  ASSERT_EQ(t_->IommuMap(0x12000, 0x1000, kHva + 0x8000, kPermRW), 0);
  ASSERT_EQ(t_->IommuMap(0x20000, 0x1000, kHva + 0x9000, kPermRW), 0);
  TakeMessages();
  EXPECT_EQ(t_->IommuMap(0x11000, 0x2000, kHva + 0x4000, kPermRO), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0x10000, 0x2000), Invalidate(0, 0x12000, 0x1000),
                  Update(0, 0x11000, 0x2000, kHva + 0x4000, kPermRO)}));
  // Same range, another permission: not a replay.
  EXPECT_EQ(t_->IommuMap(0x11000, 0x2000, kHva + 0x4000, kPermRW), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0x11000, 0x2000),
                  Update(0, 0x11000, 0x2000, kHva + 0x4000, kPermRW)}));
}

TEST_P(IommuTest, WholeSpaceUnmapIsSentAsTwoHalvesAndForgetsAll) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  ASSERT_EQ(t_->IommuMap(~uint64_t{0} - 0xfff, 0x1000, kHva, kPermRO), 0);
  TakeMessages();
  EXPECT_EQ(t_->IommuUnmap(0, ~uint64_t{0}), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0, kHalf), Invalidate(0, kHalf, kHalf)}));
  // The replay that follows VT-d's unmap maps again.
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x10000, 0x2000, kHva, kPermRW)}));
}

TEST_P(IommuTest, UnmapIsSentEvenWhenNothingWasKnown) {
  EXPECT_EQ(t_->IommuUnmap(0x5000, 0x5fff), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x5000, 0x1000)}));
}

// VT-d's whole-space unmap before any MAP reaches an address space the kernel
// has not created: refused, but nothing was held, so nothing is lost.
TEST_P(IommuTest, RefusedUnmapOfNothingHeldIsNotAnError) {
  ch_.FailNext(EFAULT, EINVAL);
  ch_.FailNext(EFAULT, EINVAL);
  EXPECT_EQ(t_->IommuUnmap(0, ~uint64_t{0}), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0, kHalf), Invalidate(0, kHalf, kHalf)}));
}

TEST_P(IommuTest, RefusedUnmapOfAHeldEntryIsReported) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x1000, kHva, kPermRW), 0);
  TakeMessages();
  ch_.FailNext(EFAULT, EINVAL);
  EXPECT_EQ(t_->IommuUnmap(0x10000, 0x10fff), EFAULT);
}

TEST_P(IommuTest, PartialUnmapForgetsTheWholeEntry) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  TakeMessages();
  EXPECT_EQ(t_->IommuUnmap(0x11000, 0x11fff), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x11000, 0x1000)}));
  // The device dropped the entry whole, so mapping it again is no replay.
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x10000, 0x2000, kHva, kPermRW)}));
}

// The smallest unmap is one byte: [giova, giova]. It takes away the whole
// entry it touches, as the kernel's INVALIDATE does.
TEST_P(IommuTest, AOneByteUnmapIsARange) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  TakeMessages();
  EXPECT_EQ(t_->IommuUnmap(0x11fff, 0x11fff), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x11fff, 1)}));
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x10000, 0x2000, kHva, kPermRW)}));
}

TEST_P(IommuTest, BadRangesAreRefusedWithoutMessages) {
  EXPECT_EQ(t_->IommuMap(0x10000, 0, kHva, kPermRW), EINVAL);
  EXPECT_EQ(t_->IommuMap(~uint64_t{0} - 0xfff, 0x2000, kHva, kPermRW), EINVAL);
  EXPECT_EQ(t_->IommuUnmap(0x2000, 0x1fff), EINVAL);
  EXPECT_TRUE(TakeMessages().empty());
}

TEST_P(IommuTest, RefusedUpdateIsNotRemembered) {
  ch_.FailNext(EFAULT, EEXIST);
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), EFAULT);
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRW), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Update(0, 0x10000, 0x2000, kHva, kPermRW),
                                  Update(0, 0x10000, 0x2000, kHva, kPermRW)}));
}

TEST_P(IommuTest, RefusedInvalidateSkipsTheUpdate) {
  ASSERT_EQ(t_->IommuMap(0x10000, 0x1000, kHva, kPermRW), 0);
  ASSERT_EQ(t_->IommuMap(0x11000, 0x1000, kHva, kPermRW), 0);
  TakeMessages();
  ch_.FailNext(EFAULT, EINVAL);
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kHva, kPermRO), EFAULT);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x10000, 0x1000),
                                  Invalidate(0, 0x11000, 0x1000)}));
  // Nothing is held there any more.
  EXPECT_EQ(t_->DeviceReset(), 0);
  EXPECT_TRUE(TakeMessages().empty());
}

INSTANTIATE_TEST_SUITE_P(Translators, IommuTest,
                         ::testing::ValuesIn(BothTranslators()),
                         TranslatorParamName);

}  // namespace
}  // namespace iovacheck
