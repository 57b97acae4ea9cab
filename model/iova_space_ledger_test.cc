// The IOVA-space ledger on its own: it keeps no copy of the tables, so an
// overlap across address spaces is found by looking an added entry up in
// the others' tables. Device states are built by writing IOTLB messages to
// a real VdpaDevice, whose journal feeds the ledger as the oracle feeds it.
#include "model/iova_space_ledger.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "model/interval_table.h"
#include "model/iotlb_msg.h"
#include "model/vdpa_device.h"
#include "gtest/gtest.h"

namespace iovacheck {
namespace {

constexpr uint64_t kFloor = 0x1000;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

class IovaSpaceLedgerTest : public ::testing::Test {
protected:
  IovaSpaceLedgerTest() : dev_(DeviceConfig{}) {
    dev_.JournalTables(&journal_);
  }

  void Write(uint8_t type, uint64_t iova, uint64_t size, uint32_t asid) {
    IotlbMsg m;
    m.type = type;
    m.iova = iova;
    m.size = size;
    m.uaddr = type == kIotlbUpdate
                  ? 0x7f0000000000 + iova + (uint64_t{asid} << 36)
                  : 0;
    m.perm = type == kIotlbUpdate ? kPermRW : kPermNone;
    m.asid = asid;
    ASSERT_TRUE(dev_.Write(m).ok()) << "iova 0x" << std::hex << iova;
  }
  void Map(uint64_t iova, uint64_t size, uint32_t asid) {
    Write(kIotlbUpdate, iova, size, asid);
  }
  void Unmap(uint64_t iova, uint64_t size, uint32_t asid) {
    Write(kIotlbInvalidate, iova, size, asid);
  }

  // What an event did, as the oracle hands it over, then the rule.
  std::optional<Divergence> Check(bool single_allocator = true,
                                  uint64_t last = kMax) {
    for (const TableChange &c : journal_.changes()) {
      if (c.side == TableSide::kVhost)
        ledger_.Entry(c.asid, c.entry, c.added);
    }
    journal_.Clear();
    return ledger_.Check(kFloor, last, single_allocator, dev_);
  }

  VdpaDevice dev_;
  TableJournal journal_;
  IovaSpaceLedger ledger_;
};

TEST_F(IovaSpaceLedgerTest, AnEntryOverlappingAnotherAddressSpacesIsFound) {
  Map(0x1000, 0x2000, 0); // [0x1000, 0x2fff]
  EXPECT_FALSE(Check().has_value());
  Map(0x2fff, 0x1000, 1); // shares one byte
  std::optional<Divergence> d = Check();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
  EXPECT_EQ(d->iovas, (std::vector<uint64_t>{0x2fff, 0x1000}));
}

TEST_F(IovaSpaceLedgerTest, AnEntryOverlappedFromBelowIsFoundToo) {
  Map(0x3000, 0x1000, 0);
  EXPECT_FALSE(Check().has_value());
  Map(0x1000, 0x3000, 1); // [0x1000, 0x3fff] covers it
  std::optional<Divergence> d = Check();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
}

TEST_F(IovaSpaceLedgerTest, NeighboursAcrossAddressSpacesAreFine) {
  Map(0x1000, 0x1000, 0);
  Map(0x2000, 0x1000, 1);
  Map(0x3000, 0x1000, 0);
  EXPECT_FALSE(Check().has_value());
}

TEST_F(IovaSpaceLedgerTest, WithoutOneAllocatorOnlyTheBoundsApply) {
  Map(0x1000, 0x1000, 0);
  Map(0x1000, 0x1000, 1);
  EXPECT_FALSE(Check(/*single_allocator=*/false).has_value());
  Map(0x5000, 0x2000, 1); // [0x5000, 0x6fff]
  std::optional<Divergence> d = Check(false, /*last=*/0x5fff);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaRange);
}

TEST_F(IovaSpaceLedgerTest, AnEntryGoneWithinTheEventBrokeNothing) {
  Map(0x1000, 0x1000, 0);
  EXPECT_FALSE(Check().has_value());
  Map(0x1000, 0x1000, 1);
  Unmap(0x1000, 0x1000, 1);
  EXPECT_FALSE(Check().has_value());
}

TEST_F(IovaSpaceLedgerTest, ARuleThatChangesLooksAtEveryEntry) {
  Map(0x1000, 0x1000, 0);
  Map(0x1000, 0x1000, 1);
  EXPECT_FALSE(Check(/*single_allocator=*/false).has_value());
  // Nothing added since, but one allocator now: the old overlap counts.
  std::optional<Divergence> d = Check(/*single_allocator=*/true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
}

} // namespace
} // namespace iovacheck
