// Without shadow data guest memory is mapped at IOVA = GPA and allocates
// nothing; host buffers still come from the allocator. Both translators.
#include <cerrno>
#include <vector>

#include "translator/both_translators.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;
using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;

class ShadowDataTest : public BothTranslatorsTest {};

TEST_P(ShadowDataTest, OffMapsGuestMemoryAtItsGpa) {
  Make(DeviceConfig{});
  t_->SetShadowData(false);
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(LowRam()), 0);
  ASSERT_EQ(t_->RegionAdd(HighRam()), 0);
  ASSERT_EQ(t_->RegionAdd(SmramAlias()), 0);  // an alias is no problem here
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(),
            (Msgs{BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x0, 0x80000000, 0x7f7903e00000, kPermRW),
                  Update(0, 0x100000000, 0x1f80000000, 0x7f7983e00000, kPermRW),
                  Update(0, 0xfeda0000, 0x20000, 0x7f7903ea0000, kPermRW),
                  BatchMsg(kIotlbBatchEnd)}));
  EXPECT_TRUE(t_->Allocations().empty());

  uint64_t iova = 0;
  EXPECT_EQ(Translate1(GuestIovec(0xfeda0010, 0x7f7903ea0010, 0x100), &iova), 0);
  EXPECT_EQ(iova, 0xfeda0010u);
  EXPECT_EQ(Translate1(GuestIovec(0x7ffff000, 0x7f7983dff000, 0x2000), &iova),
            EFAULT);  // runs past low RAM's end

  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionDel(SmramAlias()), 0);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(), (Msgs{BatchMsg(kIotlbBatchBegin),
                                  Invalidate(0, 0xfeda0000, 0x20000),
                                  BatchMsg(kIotlbBatchEnd)}));
  // Low RAM, which shares the alias's HVA, is untouched.
  EXPECT_EQ(Translate1(GuestIovec(0xa0000, 0x7f7903ea0000, 0x1000), &iova), 0);
  EXPECT_EQ(iova, 0xa0000u);
}

TEST_P(ShadowDataTest, OffKeepsTheSkipAndRoundingRules) {
  DeviceConfig config = ConfigWith(/*v2=*/true, /*batch=*/false);
  config.iova_first = 0x1000;
  Make(config);
  t_->SetShadowData(false);
  const GuestSection rom = Section(0x1800, 0x3000, 0x7f0000000800, true);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x1000, 0x7f0000000000)), 0);  // below
  EXPECT_EQ(t_->RegionAdd(Section(0x8000, 0x1000, 0x7f0000000800)), 0);  // unaligned
  EXPECT_EQ(t_->RegionAdd(rom), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Update(0, 0x2000, 0x2000, 0x7f0000001000, kPermRO)}));
  EXPECT_EQ(t_->RegionDel(rom), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x2000, 0x2000)}));
  EXPECT_TRUE(t_->Allocations().empty());
}

TEST_P(ShadowDataTest, OffStillAllocatesHostBuffers) {
  Make(DeviceConfig{});
  t_->SetShadowData(false);
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x4000, 0x7f0000000000)), 0);
  ASSERT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x40, kPermRO, 1), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Update(0, 0x0, 0x4000, 0x7f0000000000, kPermRW),
                  Update(1, 0x1000, 0x1000, 0x7e0000000000, kPermRO)}));
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x1000}}));
  uint64_t iova = 0;
  EXPECT_EQ(Translate1(HostIovec(0x7e0000000010, 0x20), &iova), 0);
  EXPECT_EQ(iova, 0x1010u);
}

TEST_P(ShadowDataTest, RefusedOrOverlappingSectionsHoldNothing) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  t_->SetShadowData(false);
  ch_.FailNext(EFAULT, EEXIST);
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), EFAULT);
  EXPECT_EQ(t_->RegionDel(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  EXPECT_EQ(TakeMessages().size(), 1u);  // the refused UPDATE only

  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  EXPECT_EQ(t_->RegionAdd(Section(0x1000, 0x2000, 0x7f1000000000)), EEXIST);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Update(0, 0x0, 0x2000, 0x7f0000000000, kPermRW)}));
}

TEST_P(ShadowDataTest, OnAgainAllocatesGuestMemory) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  t_->SetShadowData(false);
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  ASSERT_EQ(t_->RegionDel(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  t_->SetShadowData(true);
  TakeMessages();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Update(0, 0x1000, 0x2000, 0x7f0000000000, kPermRW)}));
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x2000}}));
}

INSTANTIATE_TEST_SUITE_P(Translators, ShadowDataTest,
                         ::testing::ValuesIn(BothTranslators()),
                         TranslatorParamName);

}  // namespace
}  // namespace iovacheck
