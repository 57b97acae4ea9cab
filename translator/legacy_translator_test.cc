#include "translator/legacy_translator.h"

#include <cerrno>
#include <functional>
#include <vector>

#include "gtest/gtest.h"
#include "translator/decoupled_translator.h"
#include "translator/recording_channel.h"
#include "translator/translator_test_util.h"

namespace iovacheck {
namespace {

using Msgs = std::vector<IotlbMsg>;
using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;

void AddFactsTable(Translator& t) {
  t.ListenerBegin();
  ASSERT_EQ(t.RegionAdd(LowRam()), 0);
  ASSERT_EQ(t.RegionAdd(HighRam()), 0);
  ASSERT_EQ(t.RegionAdd(SmramAlias()), 0);
  t.ListenerCommit();
}

// The facts file's table, reproduced: deleting the alias (section 3) finds
// low RAM (section 1) first by HVA, removes its node and invalidates
// [0x1000, 0x1000 + 0x20000) - the alias's length from low RAM's IOVA.
TEST(LegacyTranslator, DeletingTheAliasHitsLowRam) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch);
  AddFactsTable(t);
  EXPECT_EQ(AllocationPairs(t), (Pairs{{0x1000, 0x80000000},
                                       {0x80001000, 0x1f80000000},
                                       {0x2000001000, 0x20000}}));
  ch.messages.clear();

  t.ListenerBegin();
  ASSERT_EQ(t.RegionDel(SmramAlias()), 0);
  t.ListenerCommit();
  EXPECT_EQ(ch.messages, (Msgs{BatchMsg(kIotlbBatchBegin),
                               Invalidate(0, 0x1000, 0x20000),
                               BatchMsg(kIotlbBatchEnd)}));
  // Section 1's node is gone; the alias's node stays behind, stale.
  EXPECT_EQ(AllocationPairs(t),
            (Pairs{{0x80001000, 0x1f80000000}, {0x2000001000, 0x20000}}));

  std::vector<uint64_t> iovas;
  EXPECT_EQ(t.TranslateBuffer({GuestIovec(0x0, 0x7f7903e00000, 0x1000)}, &iovas),
            EFAULT);
  ASSERT_EQ(t.TranslateBuffer({GuestIovec(0xa0000, 0x7f7903ea0000, 0x1000)},
                              &iovas),
            0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0x2000001000}));
}

// The old datapath ignored the GPA: the alias's buffers translate through
// low RAM's node, the first one in IOVA order that holds the HVA.
TEST(LegacyTranslator, TranslatesByHvaEvenWithAGpa) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch);
  AddFactsTable(t);
  std::vector<uint64_t> iovas;
  ASSERT_EQ(t.TranslateBuffer({GuestIovec(0xfeda0010, 0x7f7903ea0010, 0x100)},
                              &iovas),
            0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0xa1010}));
}

TEST(LegacyTranslator, TranslationMustFitTheFoundNode) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch);
  ASSERT_EQ(t.RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  ASSERT_EQ(t.RegionAdd(Section(0x2000, 0x2000, 0x7f0000002000)), 0);
  std::vector<uint64_t> iovas;
  ASSERT_EQ(t.TranslateBuffer({HostIovec(0x7f0000001800, 0x800)}, &iovas), 0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0x2800}));
  EXPECT_EQ(t.TranslateBuffer({HostIovec(0x7f0000001800, 0x801)}, &iovas),
            EFAULT);
  EXPECT_EQ(t.TranslateBuffer({HostIovec(0x7f0000004000, 0)}, &iovas), EFAULT);
  // Starts before the first overlapping node.
  EXPECT_EQ(t.TranslateBuffer({HostIovec(0x7effffffff00, 0x200)}, &iovas),
            EFAULT);
}

TEST(LegacyTranslator, DeviceRefusalUndoesTheNode) {
  RecordingChannel ch;
  LegacyTranslator t(ConfigWith(/*v2=*/true, /*batch=*/false), &ch);
  ch.FailNext(EFAULT, EEXIST);
  EXPECT_EQ(t.RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), EFAULT);
  ch.FailNext(EFAULT, EINVAL);
  EXPECT_EQ(t.MapHostBuffer(0x7e0000000000, 0x1000, kPermRW, 1), EFAULT);
  EXPECT_TRUE(t.Allocations().empty());
}

// One scenario with no aliasing, run through a translator; everything it
// observably did.
struct Observed {
  Msgs messages;
  Pairs allocations;
  std::vector<int> results;
  std::vector<uint64_t> iovas;
};

Observed RunWithoutAliasing(const TranslatorFactory& factory,
                            const DeviceConfig& config) {
  Observed o;
  RecordingChannel ch;
  std::unique_ptr<Translator> t = factory(config, &ch);
  const GuestSection rom = Section(0xfffc0000, 0x40000, 0x7f0000000000, true);
  const GuestSection extra = Section(0x200000000, 0x10000, 0x7f9a00000000);
  auto record = [&](int r) { o.results.push_back(r); };

  t->ListenerBegin();
  record(t->RegionAdd(LowRam()));
  record(t->RegionAdd(HighRam()));
  record(t->RegionAdd(rom));
  t->ListenerCommit();
  record(t->MapHostBuffer(0x7e0000000000, 0x2000, kPermRO, 0));
  record(t->MapHostBuffer(0x7e0000010000, 0x100, kPermRW, 1));

  std::vector<uint64_t> iovas;
  record(t->TranslateBuffer(
      {GuestIovec(0x1000, 0x7f7903e01000, 0x200),
       GuestIovec(0x100000800, 0x7f7983e00800, 0x10),
       GuestIovec(0xfffc1000, 0x7f0000001000, 0x1000),
       HostIovec(0x7e0000000100, 0x1f00), HostIovec(0x7e0000010000, 0x100)},
      &iovas));
  o.iovas.insert(o.iovas.end(), iovas.begin(), iovas.end());

  t->ListenerBegin();
  record(t->RegionDel(HighRam()));
  record(t->RegionAdd(extra));
  t->ListenerCommit();
  record(t->UnmapHostBuffer(0x7e0000000000, 0x2000, 0));
  record(t->RegionAdd(Section(0x300000000, 0x1000, 0x7f9b00000000)));

  record(t->TranslateBuffer({GuestIovec(0x200000100, 0x7f9a00000100, 0x100),
                             HostIovec(0x7e0000000000, 1)},
                            &iovas));
  o.messages = ch.messages;
  o.allocations = AllocationPairs(*t);
  return o;
}

TEST(LegacyTranslator, BehavesLikeDecoupledWithoutAliasing) {
  for (const bool batch : {true, false}) {
    for (const bool v2 : {true, false}) {
      const DeviceConfig config = ConfigWith(v2, batch);
      const Observed legacy =
          RunWithoutAliasing(&LegacyTranslator::Create, config);
      const Observed decoupled =
          RunWithoutAliasing(&DecoupledTranslator::Create, config);
      EXPECT_EQ(legacy.messages, decoupled.messages);
      EXPECT_EQ(legacy.allocations, decoupled.allocations);
      EXPECT_EQ(legacy.results, decoupled.results);
      EXPECT_EQ(legacy.iovas, decoupled.iovas);
      // And the scenario did what it meant to.
      EXPECT_EQ(decoupled.results,
                (std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, EFAULT}));
      EXPECT_EQ(decoupled.iovas.size(), 5u);
    }
  }
}

TEST(AliasIdTranslator, BehavesLikeDecoupledWithoutAliasing) {
  for (const bool batch : {true, false}) {
    for (const bool v2 : {true, false}) {
      const DeviceConfig config = ConfigWith(v2, batch);
      const Observed alias_id = RunWithoutAliasing(&LegacyTranslator::CreateAliasId, config);
      const Observed decoupled = RunWithoutAliasing(&DecoupledTranslator::Create, config);
      EXPECT_EQ(alias_id.messages, decoupled.messages);
      EXPECT_EQ(alias_id.allocations, decoupled.allocations);
      EXPECT_EQ(alias_id.results, decoupled.results);
      EXPECT_EQ(alias_id.iovas, decoupled.iovas);
    }
  }
}

// The RFC's fix on the facts file's table: the alias's own node goes, and
// the invalidation is the alias's range at the alias's IOVA.
TEST(AliasIdTranslator, DeletingTheAliasRemovesTheAlias) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch, LegacyTranslator::Lookup::kHvaAndId);
  AddFactsTable(t);
  ch.messages.clear();

  t.ListenerBegin();
  ASSERT_EQ(t.RegionDel(SmramAlias()), 0);
  t.ListenerCommit();
  EXPECT_EQ(ch.messages, (Msgs{BatchMsg(kIotlbBatchBegin),
                               Invalidate(0, 0x2000001000, 0x20000),
                               BatchMsg(kIotlbBatchEnd)}));
  EXPECT_EQ(AllocationPairs(t), (Pairs{{0x1000, 0x80000000}, {0x80001000, 0x1f80000000}}));
  std::vector<uint64_t> iovas;
  ASSERT_EQ(t.TranslateBuffer({GuestIovec(0x0, 0x7f7903e00000, 0x1000)}, &iovas), 0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0x1000}));
}

// What the RFC left alone: the datapath has no id, so an alias's buffer
// still translates through the first node holding its HVA (low RAM's).
TEST(AliasIdTranslator, StillTranslatesByHvaAlone) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch, LegacyTranslator::Lookup::kHvaAndId);
  AddFactsTable(t);
  std::vector<uint64_t> iovas;
  ASSERT_EQ(t.TranslateBuffer({GuestIovec(0xfeda0010, 0x7f7903ea0010, 0x100)}, &iovas), 0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{0xa1010}));
}

// A host buffer's unmap never takes a guest node sharing its HVA.
TEST(AliasIdTranslator, HostUnmapMatchesHostBuffersOnly) {
  RecordingChannel ch;
  LegacyTranslator t(DeviceConfig{}, &ch, LegacyTranslator::Lookup::kHvaAndId);
  ASSERT_EQ(t.RegionAdd(Section(0x0, 0x2000, 0x7f0000000000)), 0);
  ASSERT_EQ(t.MapHostBuffer(0x7f0000000000, 0x1000, kPermRW, 0), 0);
  EXPECT_EQ(AllocationPairs(t), (Pairs{{0x1000, 0x2000}, {0x3000, 0x1000}}));
  ASSERT_EQ(t.UnmapHostBuffer(0x7f0000000000, 0x1000, 0), 0);
  EXPECT_EQ(AllocationPairs(t), (Pairs{{0x1000, 0x2000}}));
}

}  // namespace
}  // namespace iovacheck
