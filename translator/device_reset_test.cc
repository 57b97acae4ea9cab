// DeviceReset on both translators: with IOTLB_PERSIST only the batch is
// lost; without it every live mapping is handed to the device again.
#include <cerrno>
#include <vector>

#include "translator/both_translators.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;

constexpr uint64_t kGuestHva = 0x7f0000000000;
constexpr uint64_t kRingHva = 0x7e0000000000;
constexpr uint64_t kCvqHva = 0x7e0000100000;

class DeviceResetTest : public BothTranslatorsTest {};

// The kernel keeps a batch open across a reset (_compat_vdpa_reset never
// clears in_batch), and with IOTLB_PERSIST the parent kept its mappings: the
// transaction simply goes on.
TEST_P(DeviceResetTest, WithPersistTheTransactionGoesOn) {
  Make(WithPersist(DeviceConfig{}));
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kGuestHva)), 0);
  EXPECT_EQ(t_->DeviceReset(), 0);
  ASSERT_EQ(t_->RegionAdd(Section(0x100000, 0x1000, kGuestHva + 0x100000)), 0);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(),
            (Msgs{BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x1000, 0x2000, kGuestHva, kPermRW),
                  Update(0, 0x3000, 0x1000, kGuestHva + 0x100000, kPermRW),
                  BatchMsg(kIotlbBatchEnd)}));
}

// The batch the region_add was sent in is still open after the reset: the
// commit's BATCH_END alone hands a set_map device the table.
TEST_P(DeviceResetTest, WithPersistAnOpenBatchIsLeftToTheCommit) {
  Make(WithPersist(DeviceConfig{}));
  ASSERT_EQ(t_->MapHostBuffer(kRingHva, 0x1000, kPermRO, 0), 0);
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kGuestHva)), 0);
  TakeMessages();
  EXPECT_EQ(t_->DeviceReset(), 0);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(), (Msgs{BatchMsg(kIotlbBatchEnd)}));
}

TEST_P(DeviceResetTest, WithPersistAndNoOpenBatchNothingIsSent) {
  Make(WithPersist(DeviceConfig{}));
  ASSERT_EQ(t_->MapHostBuffer(kRingHva, 0x1000, kPermRO, 0), 0);
  TakeMessages();
  EXPECT_EQ(t_->DeviceReset(), 0);
  t_->ListenerBegin();
  t_->ListenerCommit();
  EXPECT_TRUE(TakeMessages().empty());
}

TEST_P(DeviceResetTest, WithoutPersistGuestAndHostMappingsAreRestored) {
  Make(DeviceConfig{});
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kGuestHva)), 0);
  t_->ListenerCommit();
  ASSERT_EQ(t_->MapHostBuffer(kCvqHva, 0x40, kPermRO, 1), 0);   // 0x3000
  ASSERT_EQ(t_->MapHostBuffer(kRingHva, 0x1000, kPermRW, 0), 0);  // 0x4000
  TakeMessages();

  EXPECT_EQ(t_->DeviceReset(), 0);
  // Address space, then IOVA order; never batched.
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0x1000, 0x2000),
                  Update(0, 0x1000, 0x2000, kGuestHva, kPermRW),
                  Invalidate(0, 0x4000, 0x1000),
                  Update(0, 0x4000, 0x1000, kRingHva, kPermRW),
                  Invalidate(1, 0x3000, 0x1000),
                  Update(1, 0x3000, 0x1000, kCvqHva, kPermRO)}));
}

TEST_P(DeviceResetTest, WithoutPersistInsideATransaction) {
  Make(DeviceConfig{});
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, kGuestHva)), 0);
  EXPECT_EQ(t_->DeviceReset(), 0);
  ASSERT_EQ(t_->RegionAdd(Section(0x100000, 0x1000, kGuestHva + 0x100000)), 0);
  t_->ListenerCommit();
  EXPECT_EQ(TakeMessages(),
            (Msgs{BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x1000, 0x2000, kGuestHva, kPermRW),
                  BatchMsg(kIotlbBatchEnd),
                  Invalidate(0, 0x1000, 0x2000),
                  Update(0, 0x1000, 0x2000, kGuestHva, kPermRW),
                  BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x3000, 0x1000, kGuestHva + 0x100000, kPermRW),
                  BatchMsg(kIotlbBatchEnd)}));
}

TEST_P(DeviceResetTest, WithoutPersistGuestMemoryAtGpaIsRestored) {
  Make(DeviceConfig{});
  t_->SetShadowData(false);
  ASSERT_EQ(t_->RegionAdd(Section(0x100000, 0x2000, kGuestHva)), 0);
  ASSERT_EQ(t_->MapHostBuffer(kCvqHva, 0x1000, kPermRW, 1), 0);
  TakeMessages();
  EXPECT_EQ(t_->DeviceReset(), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0x100000, 0x2000),
                  Update(0, 0x100000, 0x2000, kGuestHva, kPermRW),
                  Invalidate(1, 0x1000, 0x1000),
                  Update(1, 0x1000, 0x1000, kCvqHva, kPermRW)}));
  EXPECT_EQ(t_->RegionDel(Section(0x100000, 0x2000, kGuestHva)), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x100000, 0x2000)}));
}

TEST_P(DeviceResetTest, WithoutPersistIommuMappingsAreRestored) {
  Make(WithViommu(DeviceConfig{}));
  ASSERT_EQ(t_->IommuMap(0x20000, 0x1000, kGuestHva + 0x5000, kPermRO), 0);
  ASSERT_EQ(t_->IommuMap(0x10000, 0x2000, kGuestHva, kPermRW), 0);
  TakeMessages();
  EXPECT_EQ(t_->DeviceReset(), 0);
  EXPECT_EQ(TakeMessages(),
            (Msgs{Invalidate(0, 0x10000, 0x2000),
                  Update(0, 0x10000, 0x2000, kGuestHva, kPermRW),
                  Invalidate(0, 0x20000, 0x1000),
                  Update(0, 0x20000, 0x1000, kGuestHva + 0x5000, kPermRO)}));
  // Still known afterwards: a replay sends nothing.
  EXPECT_EQ(t_->IommuMap(0x10000, 0x2000, kGuestHva, kPermRW), 0);
  EXPECT_TRUE(TakeMessages().empty());
}

TEST_P(DeviceResetTest, RestoreKeepsGoingAndReportsTheFirstError) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->MapHostBuffer(kRingHva, 0x1000, kPermRO, 0), 0);
  ASSERT_EQ(t_->MapHostBuffer(kCvqHva, 0x1000, kPermRW, 1), 0);
  TakeMessages();
  ch_.SucceedNext();
  ch_.FailNext(EFAULT, EEXIST);  // the first UPDATE
  ch_.FailNext(EFAULT, EINVAL);  // the second INVALIDATE
  EXPECT_EQ(t_->DeviceReset(), EFAULT);
  EXPECT_EQ(TakeMessages().size(), 4u);
  // Both stay tracked: their unmaps still go out.
  EXPECT_EQ(t_->UnmapHostBuffer(kRingHva, 0x1000, 0), 0);
  EXPECT_EQ(t_->UnmapHostBuffer(kCvqHva, 0x1000, 1), 0);
  EXPECT_EQ(TakeMessages(), (Msgs{Invalidate(0, 0x1000, 0x1000),
                                  Invalidate(1, 0x2000, 0x1000)}));
}

TEST_P(DeviceResetTest, NothingMappedNothingSent) {
  Make(DeviceConfig{});
  EXPECT_EQ(t_->DeviceReset(), 0);
  EXPECT_TRUE(TakeMessages().empty());
}

INSTANTIATE_TEST_SUITE_P(Translators, DeviceResetTest,
                         ::testing::ValuesIn(BothTranslators()),
                         TranslatorParamName);

}  // namespace
}  // namespace iovacheck
