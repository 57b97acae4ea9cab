#include "translator/decoupled_translator.h"

#include <cerrno>
#include <vector>

#include "gtest/gtest.h"
#include "translator/recording_channel.h"
#include "translator/translator_test_util.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;
using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;

class DecoupledTest : public ::testing::Test {
 protected:
  void Make(const DeviceConfig& config) {
    t_ = std::make_unique<DecoupledTranslator>(config, &ch_);
  }
  // Adds the facts table in one listener transaction.
  void AddFactsTable() {
    t_->ListenerBegin();
    ASSERT_EQ(t_->RegionAdd(LowRam()), 0);
    ASSERT_EQ(t_->RegionAdd(HighRam()), 0);
    ASSERT_EQ(t_->RegionAdd(SmramAlias()), 0);
    t_->ListenerCommit();
  }
  int Translate1(const Iovec& v, uint64_t* iova) {
    std::vector<uint64_t> iovas;
    const int err = t_->TranslateBuffer({v}, &iovas);
    if (err == 0) *iova = iovas.at(0);
    return err;
  }

  RecordingChannel ch_;
  std::unique_ptr<Translator> t_;
};

TEST_F(DecoupledTest, FactsTableGetsFirstFitIovas) {
  Make(DeviceConfig{});
  AddFactsTable();
  EXPECT_EQ(ch_.messages,
            (Msgs{BatchMsg(kIotlbBatchBegin),
                  Update(0, 0x1000, 0x80000000, 0x7f7903e00000, kPermRW),
                  Update(0, 0x80001000, 0x1f80000000, 0x7f7983e00000, kPermRW),
                  Update(0, 0x2000001000, 0x20000, 0x7f7903ea0000, kPermRW),
                  BatchMsg(kIotlbBatchEnd)}));
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x80000000},
                                         {0x80001000, 0x1f80000000},
                                         {0x2000001000, 0x20000}}));
}

TEST_F(DecoupledTest, DeletingTheAliasRemovesExactlyItsOwnMapping) {
  Make(DeviceConfig{});
  AddFactsTable();
  ch_.messages.clear();
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionDel(SmramAlias()), 0);
  t_->ListenerCommit();
  EXPECT_EQ(ch_.messages, (Msgs{BatchMsg(kIotlbBatchBegin),
                                Invalidate(0, 0x2000001000, 0x20000),
                                BatchMsg(kIotlbBatchEnd)}));
  EXPECT_EQ(AllocationPairs(*t_),
            (Pairs{{0x1000, 0x80000000}, {0x80001000, 0x1f80000000}}));
  // Low RAM still translates, including the bytes the alias shared.
  uint64_t iova = 0;
  EXPECT_EQ(Translate1(GuestIovec(0xa0000, 0x7f7903ea0000, 0x1000), &iova), 0);
  EXPECT_EQ(iova, 0xa1000u);
  EXPECT_EQ(Translate1(GuestIovec(0xfeda0000, 0x7f7903ea0000, 1), &iova), EFAULT);
}

// The output holds exactly one IOVA per iovec, whatever the caller's vector
// held before (a mutant that kept the old contents survived the properties,
// whose harness hands over an empty vector).
TEST_F(DecoupledTest, TranslateReplacesWhatTheOutputHeld) {
  Make(DeviceConfig{});
  AddFactsTable();
  std::vector<uint64_t> iovas = {0xdead, 0xbeef};
  ASSERT_EQ(t_->TranslateBuffer({GuestIovec(0xa0010, 0x7f7903ea0010, 0x100)}, &iovas), 0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0xa1010}));
}

TEST_F(DecoupledTest, AliasTranslatesByGpaNotHva) {
  Make(DeviceConfig{});
  AddFactsTable();
  std::vector<uint64_t> iovas;
  ASSERT_EQ(t_->TranslateBuffer({GuestIovec(0xfeda0010, 0x7f7903ea0010, 0x100),
                                 GuestIovec(0xa0010, 0x7f7903ea0010, 0x100),
                                 GuestIovec(0x100000000, 0x7f7983e00000, 8)},
                                &iovas),
            0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0x2000001010, 0xa1010, 0x80001000}));
}

TEST_F(DecoupledTest, WithoutBatchFeatureNoBatchMessages) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  AddFactsTable();
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionDel(LowRam()), 0);
  t_->ListenerCommit();
  EXPECT_EQ(ch_.messages,
            (Msgs{Update(0, 0x1000, 0x80000000, 0x7f7903e00000, kPermRW),
                  Update(0, 0x80001000, 0x1f80000000, 0x7f7983e00000, kPermRW),
                  Update(0, 0x2000001000, 0x20000, 0x7f7903ea0000, kPermRW),
                  Invalidate(0, 0x1000, 0x80000000)}));
}

TEST_F(DecoupledTest, MessageVersionOneWithoutMsgV2) {
  Make(ConfigWith(/*v2=*/false, /*batch=*/true));
  t_->ListenerBegin();
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000, true)), 0);
  ASSERT_EQ(t_->RegionDel(Section(0x0, 0x2000, 0x7f0000000000, true)), 0);
  t_->ListenerCommit();
  EXPECT_EQ(ch_.messages,
            (Msgs{BatchMsg(kIotlbBatchBegin, kMsgV1),
                  Update(0, 0x1000, 0x2000, 0x7f0000000000, kPermRO, kMsgV1),
                  Invalidate(0, 0x1000, 0x2000, kMsgV1),
                  BatchMsg(kIotlbBatchEnd, kMsgV1)}));
}

TEST_F(DecoupledTest, DeviceRefusalUndoesTheAllocation) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  const Pairs before = AllocationPairs(*t_);
  ch_.messages.clear();

  t_->ListenerBegin();
  ch_.SucceedNext();  // BATCH_BEGIN
  ch_.FailNext(EFAULT, EEXIST);
  EXPECT_EQ(t_->RegionAdd(Section(0x100000, 0x1000, 0x7f0000100000)), EFAULT);
  t_->ListenerCommit();
  EXPECT_EQ(AllocationPairs(*t_), before);
  EXPECT_EQ(ch_.messages.back(), BatchMsg(kIotlbBatchEnd));

  // Nothing is held for it: a del is a no-op, a later add reuses the IOVA.
  ch_.messages.clear();
  EXPECT_EQ(t_->RegionDel(Section(0x100000, 0x1000, 0x7f0000100000)), 0);
  EXPECT_TRUE(ch_.messages.empty());
  EXPECT_EQ(t_->RegionAdd(Section(0x100000, 0x1000, 0x7f0000100000)), 0);
  EXPECT_EQ(ch_.messages,
            (Msgs{Update(0, 0x3000, 0x1000, 0x7f0000100000, kPermRW)}));
}

TEST_F(DecoupledTest, NoMemWhenTheIovaRangeIsFull) {
  DeviceConfig config;
  config.iova_last = 0x3fff;  // pages 0x1000..0x3000 are allocatable
  Make(config);
  ASSERT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x1000, kPermRW, 0), 0);
  ch_.messages.clear();
  t_->ListenerBegin();
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x3000, 0x7f0000000000)), ENOMEM);
  t_->ListenerCommit();
  EXPECT_TRUE(ch_.messages.empty());
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x1000}}));
  // What still fits is still handed out, up to iova_last exactly.
  EXPECT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x1000}, {0x2000, 0x2000}}));
}

TEST_F(DecoupledTest, ExactFitReusesAFreedHole) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x4000, 0x7f0000000000)), 0);
  ASSERT_EQ(t_->RegionAdd(Section(0x100000, 0x1000, 0x7f0000100000)), 0);
  ASSERT_EQ(t_->RegionDel(Section(0x0, 0x4000, 0x7f0000000000)), 0);
  ch_.messages.clear();
  ASSERT_EQ(t_->RegionAdd(Section(0x200000, 0x4000, 0x7f0000200000)), 0);
  EXPECT_EQ(ch_.messages,
            (Msgs{Update(0, 0x1000, 0x4000, 0x7f0000200000, kPermRW)}));
}

TEST_F(DecoupledTest, SkippedSectionsSendNothing) {
  DeviceConfig config;
  config.iova_first = 0x10000;
  config.iova_last = 0xffffffff;
  Make(config);
  GuestSection mmio = Section(0x100000, 0x1000, 0x7f0000000000);
  mmio.ram = false;
  const std::vector<GuestSection> skipped = {
      mmio,
      Section(0x0, 0x100000, 0x7f0000000000),         // below the range
      Section(0xffff0000, 0x20000, 0x7f0000000000),   // past the range
      Section(0x100000, 0x2000, 0x7f0000000800),      // unaligned
      Section(0x100800, 0x1000, 0x7f0000000800),      // empty once rounded
  };
  t_->ListenerBegin();
  for (const GuestSection& s : skipped) {
    EXPECT_EQ(t_->RegionAdd(s), 0);
    EXPECT_EQ(t_->RegionDel(s), 0);
  }
  t_->ListenerCommit();
  EXPECT_TRUE(ch_.messages.empty());
  EXPECT_TRUE(t_->Allocations().empty());
}

TEST_F(DecoupledTest, OverlappingGuestMemoryIsRefused) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x4000, 0x7f0000000000)), 0);
  ch_.messages.clear();
  EXPECT_EQ(t_->RegionAdd(Section(0x2000, 0x4000, 0x7f1000000000)), EEXIST);
  EXPECT_TRUE(ch_.messages.empty());
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x4000}}));
}

TEST_F(DecoupledTest, TranslationMustFitInOneMapping) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  ASSERT_EQ(t_->RegionAdd(Section(0x2000, 0x2000, 0x7f0000100000)), 0);
  uint64_t iova = 0;
  EXPECT_EQ(Translate1(GuestIovec(0x1800, 0, 0x800), &iova), 0);
  EXPECT_EQ(iova, 0x2800u);
  // Contiguous in GPA, but two mappings: expands over the first one's end.
  EXPECT_EQ(Translate1(GuestIovec(0x1800, 0, 0x801), &iova), EFAULT);
  EXPECT_EQ(Translate1(GuestIovec(0x5000, 0, 1), &iova), EFAULT);
  EXPECT_EQ(Translate1(GuestIovec(~uint64_t{0} - 4, 0, 0x10), &iova), EFAULT);
  // Zero-length iovecs are point lookups.
  EXPECT_EQ(Translate1(GuestIovec(0x3fff, 0, 0), &iova), 0);
  EXPECT_EQ(iova, 0x4fffu);
  EXPECT_EQ(Translate1(GuestIovec(0x4000, 0, 0), &iova), EFAULT);
  std::vector<uint64_t> iovas;
  EXPECT_EQ(t_->TranslateBuffer({}, &iovas), 0);
  EXPECT_TRUE(iovas.empty());
}

TEST_F(DecoupledTest, HostBuffersInAsidOne) {
  Make(DeviceConfig{});
  t_->ListenerBegin();  // host buffers never begin a batch
  ASSERT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x40, kPermRO, 1), 0);
  ASSERT_EQ(t_->MapHostBuffer(0x7e0000001000, 0x1, kPermRW, 1), 0);
  t_->ListenerCommit();
  EXPECT_EQ(ch_.messages,
            (Msgs{Update(1, 0x1000, 0x1000, 0x7e0000000000, kPermRO),
                  Update(1, 0x2000, 0x1000, 0x7e0000001000, kPermRW)}));

  std::vector<uint64_t> iovas;
  ASSERT_EQ(t_->TranslateBuffer({HostIovec(0x7e0000000000, 0x40),
                                 HostIovec(0x7e0000001000, 1)},
                                &iovas),
            0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0x1000, 0x2000}));
  EXPECT_EQ(t_->TranslateBuffer({HostIovec(0x7e0000000ff0, 0x20)}, &iovas),
            EFAULT);

  ch_.messages.clear();
  EXPECT_EQ(t_->UnmapHostBuffer(0x7e0000000000, 0x40, 0), 0);  // wrong asid: nothing held
  EXPECT_EQ(t_->UnmapHostBuffer(0x7e0000000000, 0x40, 1), 0);
  EXPECT_EQ(t_->UnmapHostBuffer(0x7e0000000000, 0x40, 1), 0);
  EXPECT_EQ(ch_.messages, (Msgs{Invalidate(1, 0x1000, 0x1000)}));
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x2000, 0x1000}}));
}

TEST_F(DecoupledTest, HostBufferRefusalsHoldNothing) {
  Make(DeviceConfig{});
  ch_.FailNext(EINVAL, EINVAL);
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x1000, kPermRW, 5), EINVAL);
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000000000, 0, kPermRW, 0), EINVAL);
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x1000, kPermNone, 0), EINVAL);
  EXPECT_EQ(t_->MapHostBuffer(~uint64_t{0} - 0xfff, 0x2000, kPermRW, 0), EINVAL);
  EXPECT_TRUE(t_->Allocations().empty());
  EXPECT_EQ(ch_.messages.size(), 1u);

  ASSERT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x2000, kPermRW, 0), 0);
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000001000, 0x1000, kPermRO, 0), EEXIST);
  // The same HVA may be mapped in another address space.
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000001000, 0x1000, kPermRO, 1), 0);
  EXPECT_EQ(AllocationPairs(*t_), (Pairs{{0x1000, 0x2000}, {0x3000, 0x1000}}));
}

// One HVA, one answer per address space: a buffer sharing a single byte
// with a live one, at either end, is refused; one right beside it is not.
// (Mutants that shifted the overlap test by a byte survived the properties,
// whose host buffers never touch.)
TEST_F(DecoupledTest, HostBuffersSharingOneByteAreRefused) {
  Make(DeviceConfig{});
  ASSERT_EQ(t_->MapHostBuffer(0x7e0000001000, 0x1000, kPermRW, 0), 0);
  // Its last byte is the live buffer's first.
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000000001, 0x1000, kPermRO, 0), EEXIST);
  // Its first byte is the live buffer's last.
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000001fff, 0x10, kPermRO, 0), EEXIST);
  // Beside it, on either side.
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000000000, 0x1000, kPermRO, 0), 0);
  EXPECT_EQ(t_->MapHostBuffer(0x7e0000002000, 0x1000, kPermRO, 0), 0);
  EXPECT_EQ(t_->Allocations().size(), 3u);
}

// A section's HVA range may end exactly at 2^64 but not wrap past it (QEMU's
// IOVA_ERR_INVALID), with shadow data or without (an identity mapping at
// its GPA). A mapped range is whole guest pages at an HVA with the GPA's
// in-page offset, so it ends at 2^64 or a page past it, never a byte: the
// check's bound matters only at exactly 2^64 (a mutant that refused that
// survived the properties, whose host memory sits far below it).
TEST_F(DecoupledTest, ASectionsHostRangeMayEndAt2To64ButNotWrap) {
  for (bool shadow : {true, false}) {
    Make(DeviceConfig{});
    t_->SetShadowData(shadow);
    t_->ListenerBegin();
    EXPECT_EQ(t_->RegionAdd(Section(0x10000, 0x2000, ~uint64_t{0} - 0xfff)), EINVAL)
        << "shadow " << shadow;
    EXPECT_EQ(t_->RegionAdd(Section(0x10000, 0x2000, ~uint64_t{0} - 0x1fff)), 0)
        << "shadow " << shadow;
    t_->ListenerCommit();
  }
}

TEST_F(DecoupledTest, RegionDelOfUnknownMemoryIsANoOp) {
  Make(DeviceConfig{});
  t_->ListenerBegin();
  EXPECT_EQ(t_->RegionDel(LowRam()), 0);
  t_->ListenerCommit();
  EXPECT_TRUE(ch_.messages.empty());
}

TEST_F(DecoupledTest, RefusedInvalidateStillForgetsTheMapping) {
  Make(ConfigWith(/*v2=*/true, /*batch=*/false));
  ASSERT_EQ(t_->RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  ch_.FailNext(EFAULT, EINVAL);
  EXPECT_EQ(t_->RegionDel(Section(0x0, 0x2000, 0x7f0000000000)), EFAULT);
  EXPECT_TRUE(t_->Allocations().empty());
}

}  // namespace
}  // namespace iovacheck
