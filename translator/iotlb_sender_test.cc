#include "translator/iotlb_sender.h"

#include <cerrno>
#include <vector>

#include "gtest/gtest.h"
#include "translator/address_math.h"
#include "translator/recording_channel.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;

DeviceConfig WithFeatures(bool v2, bool batch) {
  DeviceConfig config;
  config.backend_features = 0;
  if (v2) config.backend_features |= uint64_t{1} << kFeatureIotlbMsgV2;
  if (batch) config.backend_features |= uint64_t{1} << kFeatureIotlbBatch;
  return config;
}

TEST(IotlbSender, BatchBeginsOnceAndEndsAtCommit) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  EXPECT_EQ(s.ListenerMap(0x1000, 0x1000, 0x7f00, kPermRW), 0);
  EXPECT_EQ(s.ListenerUnmap(0x1000, 0x1000), 0);
  s.CommitTransaction();
  EXPECT_EQ(ch.messages,
            (Msgs{BatchMsg(kIotlbBatchBegin), Update(0, 0x1000, 0x1000, 0x7f00, kPermRW),
                  Invalidate(0, 0x1000, 0x1000), BatchMsg(kIotlbBatchEnd)}));
}

TEST(IotlbSender, EmptyTransactionSendsNothing) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  s.CommitTransaction();
  s.CommitTransaction();  // a commit without begin, too
  EXPECT_TRUE(ch.messages.empty());
}

TEST(IotlbSender, HostBuffersAndOutOfTransactionMapsNeverBatch) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  EXPECT_EQ(s.Map(1, 0x1000, 0x1000, 0x7f00, kPermRO), 0);
  s.CommitTransaction();
  EXPECT_EQ(s.ListenerMap(0x2000, 0x1000, 0x8f00, kPermRW), 0);
  EXPECT_EQ(ch.messages, (Msgs{Update(1, 0x1000, 0x1000, 0x7f00, kPermRO),
                               Update(0, 0x2000, 0x1000, 0x8f00, kPermRW)}));
}

TEST(IotlbSender, NoBatchFeatureNoBatchMessages) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, false), &ch);
  s.BeginTransaction();
  EXPECT_EQ(s.ListenerMap(0x1000, 0x1000, 0x7f00, kPermRW), 0);
  s.CommitTransaction();
  EXPECT_EQ(ch.messages, (Msgs{Update(0, 0x1000, 0x1000, 0x7f00, kPermRW)}));
}

TEST(IotlbSender, VersionFollowsMsgV2Feature) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(false, true), &ch);
  s.BeginTransaction();
  s.ListenerMap(0x1000, 0x1000, 0x7f00, kPermRW);
  s.CommitTransaction();
  EXPECT_EQ(ch.messages,
            (Msgs{BatchMsg(kIotlbBatchBegin, kMsgV1),
                  Update(0, 0x1000, 0x1000, 0x7f00, kPermRW, kMsgV1),
                  BatchMsg(kIotlbBatchEnd, kMsgV1)}));
}

TEST(IotlbSender, WholeSpaceUnmapIsSentAsTwoHalves) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.Unmap(0, 0, WholeAddressSpace()), 0);
  EXPECT_EQ(ch.messages, (Msgs{Invalidate(0, 0, uint64_t{1} << 63),
                               Invalidate(0, uint64_t{1} << 63, uint64_t{1} << 63)}));
}

TEST(IotlbSender, HalvesAreBothSentAndTheFirstErrorWins) {
  RecordingChannel ch;
  ch.FailNext(EFAULT, EINVAL);
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.ListenerUnmap(0, WholeAddressSpace()), EFAULT);
  EXPECT_EQ(ch.messages.size(), 2u);
}

TEST(IotlbSender, DeviceErrorIsReturned) {
  RecordingChannel ch;
  ch.FailNext(EFAULT, EEXIST);
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.Map(0, 0x1000, 0x1000, 0x7f00, kPermRW), EFAULT);
  EXPECT_EQ(s.Map(0, 0x1000, 0x1000, 0x7f00, kPermRW), 0);
}

TEST(IotlbSender, InterruptedWritesAreWrittenAgain) {
  RecordingChannel ch;
  ch.FailNext(EINTR, 0);
  ch.FailNext(EINTR, 0);
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.Map(1, 0x1000, 0x1000, 0x7f00, kPermRW), 0);
  EXPECT_EQ(ch.messages, Msgs(3, Update(1, 0x1000, 0x1000, 0x7f00, kPermRW)));
}

TEST(IotlbSender, InterruptedTooOftenIsReported) {
  RecordingChannel ch;
  for (int i = 0; i < kMaxWriteAttempts; ++i) ch.FailNext(EINTR, 0);
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.Unmap(0, 0x1000, 0x1000), EINTR);
  EXPECT_EQ(ch.messages.size(), size_t{kMaxWriteAttempts});
  // The next message starts with a fresh count.
  EXPECT_EQ(s.Unmap(0, 0x1000, 0x1000), 0);
}

TEST(IotlbSender, EachHalfOfAWholeSpaceUnmapIsRetried) {
  RecordingChannel ch;
  ch.FailNext(EINTR, 0);
  ch.SucceedNext();
  ch.FailNext(EINTR, 0);
  IotlbSender s(WithFeatures(true, false), &ch);
  EXPECT_EQ(s.Unmap(0, 0, WholeAddressSpace()), 0);
  const IotlbMsg low = Invalidate(0, 0, uint64_t{1} << 63);
  const IotlbMsg high = Invalidate(0, uint64_t{1} << 63, uint64_t{1} << 63);
  EXPECT_EQ(ch.messages, (Msgs{low, low, high, high}));
}

TEST(IotlbSender, BatchEndedAfterResetIsBegunAgainByTheNextListenerMessage) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  EXPECT_EQ(s.ListenerMap(0x1000, 0x1000, 0x7f00, kPermRW), 0);
  EXPECT_TRUE(s.EndBatchAfterReset());
  EXPECT_EQ(s.Map(1, 0x2000, 0x1000, 0x8f00, kPermRO), 0);  // never batched
  EXPECT_EQ(s.ListenerUnmap(0x1000, 0x1000), 0);
  s.CommitTransaction();
  EXPECT_EQ(ch.messages,
            (Msgs{BatchMsg(kIotlbBatchBegin), Update(0, 0x1000, 0x1000, 0x7f00, kPermRW),
                  BatchMsg(kIotlbBatchEnd), Update(1, 0x2000, 0x1000, 0x8f00, kPermRO),
                  BatchMsg(kIotlbBatchBegin), Invalidate(0, 0x1000, 0x1000),
                  BatchMsg(kIotlbBatchEnd)}));
}

TEST(IotlbSender, BatchEndedAfterResetIsNotEndedAgainAtCommit) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  EXPECT_EQ(s.ListenerMap(0x1000, 0x1000, 0x7f00, kPermRW), 0);
  EXPECT_TRUE(s.EndBatchAfterReset());
  s.CommitTransaction();
  EXPECT_EQ(ch.messages.size(), 3u);
  EXPECT_EQ(ch.messages.back(), BatchMsg(kIotlbBatchEnd));
}

TEST(IotlbSender, NoBatchToEndAfterResetSendsNothing) {
  RecordingChannel ch;
  IotlbSender s(WithFeatures(true, true), &ch);
  s.BeginTransaction();
  EXPECT_FALSE(s.EndBatchAfterReset());
  s.CommitTransaction();
  EXPECT_TRUE(ch.messages.empty());
}

}  // namespace
}  // namespace iovacheck
