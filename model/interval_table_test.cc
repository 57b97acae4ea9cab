#include "model/interval_table.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "gtest/gtest.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

IotlbEntry E(uint64_t start, uint64_t last, uint64_t addr = 0, uint8_t perm = 3) {
  return IotlbEntry{start, last, addr, perm};
}

// [0x1000,0x1fff] [0x2000,0x2fff] [0x5000,0x6fff]: two adjacent, then a gap.
IntervalTable ThreeEntries() {
  IntervalTable t;
  EXPECT_TRUE(t.Add(E(0x1000, 0x1fff, 0xa000)));
  EXPECT_TRUE(t.Add(E(0x2000, 0x2fff, 0xb000)));
  EXPECT_TRUE(t.Add(E(0x5000, 0x6fff, 0xc000)));
  return t;
}

TEST(IntervalTable, AddAcceptsAdjacentAndKeepsAddressOrder) {
  IntervalTable t;
  EXPECT_TRUE(t.Add(E(0x3000, 0x3fff)));
  EXPECT_TRUE(t.Add(E(0x1000, 0x2fff)));
  EXPECT_TRUE(t.Add(E(0x4000, 0x4000)));
  EXPECT_EQ(t.Entries(), (std::vector<IotlbEntry>{
                             E(0x1000, 0x2fff), E(0x3000, 0x3fff), E(0x4000, 0x4000)}));
}

TEST(IntervalTable, AddRefusesOverlapAndInvertedRange) {
  IntervalTable t;
  ASSERT_TRUE(t.Add(E(0x2000, 0x3fff)));
  EXPECT_FALSE(t.Add(E(0x1000, 0x2000)));  // shares the first byte
  EXPECT_FALSE(t.Add(E(0x3fff, 0x4fff)));  // shares the last byte
  EXPECT_FALSE(t.Add(E(0x2800, 0x2fff)));  // contained
  EXPECT_FALSE(t.Add(E(0x0, kMax)));       // containing
  EXPECT_FALSE(t.Add(E(0x2000, 0x3fff)));  // identical
  EXPECT_FALSE(t.Add(E(0x9000, 0x8fff)));  // last < start
  EXPECT_EQ(t.Entries(), std::vector<IotlbEntry>{E(0x2000, 0x3fff)});
}

TEST(IntervalTable, FirstOverlapReturnsLowestOverlappingEntry) {
  IntervalTable t = ThreeEntries();
  ASSERT_NE(t.FirstOverlap(0x1800, 0x5000), nullptr);
  EXPECT_EQ(*t.FirstOverlap(0x1800, 0x5000), E(0x1000, 0x1fff, 0xa000));
  EXPECT_EQ(*t.FirstOverlap(0x2fff, 0x2fff), E(0x2000, 0x2fff, 0xb000));
  EXPECT_EQ(*t.FirstOverlap(0x3000, 0x5000), E(0x5000, 0x6fff, 0xc000));
  EXPECT_EQ(*t.FirstOverlap(0, kMax), E(0x1000, 0x1fff, 0xa000));
  EXPECT_EQ(t.FirstOverlap(0x3000, 0x4fff), nullptr);  // exactly the gap
  EXPECT_EQ(t.FirstOverlap(0x7000, kMax), nullptr);    // past the end
  EXPECT_EQ(t.FirstOverlap(0, 0xfff), nullptr);        // before the start
  EXPECT_EQ(IntervalTable().FirstOverlap(0, kMax), nullptr);
}

// last < start keeps the raw kernel meaning: e.start <= last && e.last >= start,
// i.e. only an entry holding both `last` and `start` matches.
TEST(IntervalTable, FirstOverlapWithLastBelowStartMatchesOnlyStraddlingEntry) {
  IntervalTable t = ThreeEntries();
  // 0x1fff and 0x2000 sit in different (adjacent) entries: nothing straddles.
  EXPECT_EQ(t.FirstOverlap(0x2000, 0x1fff), nullptr);
  // [0x5000,0x6fff] holds both 0x5fff and 0x6000.
  ASSERT_NE(t.FirstOverlap(0x6000, 0x5fff), nullptr);
  EXPECT_EQ(*t.FirstOverlap(0x6000, 0x5fff), E(0x5000, 0x6fff, 0xc000));
  // A wide inversion: no entry holds both 0x1000 and 0x6000.
  EXPECT_EQ(t.FirstOverlap(0x6000, 0x1000), nullptr);
}

TEST(IntervalTable, FindReturnsContainingEntry) {
  IntervalTable t = ThreeEntries();
  EXPECT_EQ(*t.Find(0x1000), E(0x1000, 0x1fff, 0xa000));
  EXPECT_EQ(*t.Find(0x2000), E(0x2000, 0x2fff, 0xb000));
  EXPECT_EQ(*t.Find(0x6fff), E(0x5000, 0x6fff, 0xc000));
  EXPECT_EQ(t.Find(0xfff), nullptr);
  EXPECT_EQ(t.Find(0x3000), nullptr);
  EXPECT_EQ(t.Find(0x7000), nullptr);
}

TEST(IntervalTable, EntriesAtTopOfAddressSpace) {
  IntervalTable t;
  ASSERT_TRUE(t.Add(E(kMax - 0xfff, kMax)));
  EXPECT_EQ(*t.Find(kMax), E(kMax - 0xfff, kMax));
  EXPECT_FALSE(t.Add(E(kMax, kMax)));
  EXPECT_EQ(t.RemoveOverlapping(kMax, kMax), std::vector<IotlbEntry>{E(kMax - 0xfff, kMax)});
  EXPECT_TRUE(t.empty());
}

TEST(IntervalTable, RemoveOverlappingRemovesWholeEntriesInAddressOrder) {
  IntervalTable t = ThreeEntries();
  // Touches the last byte of the first entry and the first of the third.
  std::vector<IotlbEntry> removed = t.RemoveOverlapping(0x1fff, 0x5000);
  EXPECT_EQ(removed, (std::vector<IotlbEntry>{E(0x1000, 0x1fff, 0xa000),
                                              E(0x2000, 0x2fff, 0xb000),
                                              E(0x5000, 0x6fff, 0xc000)}));
  EXPECT_TRUE(t.empty());
}

TEST(IntervalTable, RemoveOverlappingLeavesNonOverlappingEntries) {
  IntervalTable t = ThreeEntries();
  EXPECT_EQ(t.RemoveOverlapping(0x2800, 0x2800),
            std::vector<IotlbEntry>{E(0x2000, 0x2fff, 0xb000)});
  EXPECT_EQ(t.Entries(), (std::vector<IotlbEntry>{E(0x1000, 0x1fff, 0xa000),
                                                  E(0x5000, 0x6fff, 0xc000)}));
  EXPECT_TRUE(t.RemoveOverlapping(0x3000, 0x4fff).empty());
  EXPECT_EQ(t.size(), 2u);
}

TEST(IntervalTable, RemoveOverlappingWithLastBelowStart) {
  IntervalTable t = ThreeEntries();
  EXPECT_TRUE(t.RemoveOverlapping(0x2000, 0x1fff).empty());
  EXPECT_EQ(t.RemoveOverlapping(0x6000, 0x5fff),
            std::vector<IotlbEntry>{E(0x5000, 0x6fff, 0xc000)});
  // [0, 2^64-1] via wraparound (start 0, last = 0 - 1) empties the table.
  EXPECT_EQ(t.RemoveOverlapping(0, kMax).size(), 2u);
  EXPECT_TRUE(t.empty());
}

TEST(IntervalTable, EqualityComparesEntries) {
  IntervalTable a = ThreeEntries();
  IntervalTable b = ThreeEntries();
  EXPECT_TRUE(a == b);
  b.RemoveOverlapping(0x5000, 0x5000);
  EXPECT_FALSE(a == b);
  b.Clear();
  EXPECT_TRUE(b.empty());
}

// What Find must answer, by a walk over every entry.
std::optional<IotlbEntry> FindByScan(const IntervalTable& t, uint64_t addr) {
  for (const IotlbEntry& e : t.Entries()) {
    if (addr >= e.start && addr <= e.last) return e;
  }
  return std::nullopt;
}

// Find answers small page-aligned entries from the page lookup and the rest
// from the ordered map: entries of every kind (aligned or not, within the
// lookup's size or just over it, one at the top of the address space) come
// and go by Add, RemoveOverlapping, Clear and both kinds of assignment, and
// every lookup at and around each entry's ends, and at random, must agree
// with a scan, in the table and in its copies.
TEST(IntervalTable, FindAgreesWithAScanAsEntriesComeAndGo) {
  constexpr uint64_t kPage = PageLookup<IotlbEntry>::kPageSize;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SplitMix64 rng(seed);
    IntervalTable t;
    TableJournal journal;
    IntervalTable journaled;
    journaled.JournalTo(&journal, 0, TableSide::kDevice);
    IntervalTable assigned;
    for (int step = 0; step < 300; ++step) {
      const uint64_t choice = rng.Below(100);
      if (choice < 30 && !t.empty()) {
        const uint64_t at = rng.Below(64 * kPage);
        t.RemoveOverlapping(at, at + rng.Below(4 * kPage));
      } else if (choice < 32) {
        t.Clear();
      } else {
        const uint64_t pages = rng.InRange(1, PageLookup<IotlbEntry>::kMaxPages + 2);
        uint64_t start = rng.Below(64) * kPage;
        if (rng.Percent(5)) start = kMax - pages * kPage + 1;  // ends at 2^64 - 1
        uint64_t last = start + (pages * kPage - 1);
        if (rng.Percent(25)) start += rng.InRange(1, kPage - 1);  // unaligned start
        if (rng.Percent(20)) last -= rng.InRange(1, kPage - 1);   // unaligned end
        const IotlbEntry e = E(start, last, rng.Next(), static_cast<uint8_t>(rng.InRange(1, 3)));
        t.Add(e);
        // Entries of its own, which the wholesale assignment below must drop.
        assigned.Add(E(e.start + kPage, e.last + kPage, e.addr, e.perm));
      }
      journaled = t;  // in place, entry by entry
      const IntervalTable copy = t;
      assigned = t;  // wholesale, over what the last step left
      std::vector<uint64_t> probes;
      for (const IotlbEntry& e : t.Entries()) {
        for (uint64_t at : {e.start - 1, e.start, e.last, e.last + 1}) probes.push_back(at);
      }
      for (int i = 0; i < 16; ++i) probes.push_back(rng.Below(66 * kPage));
      for (uint64_t at : probes) {
        const std::optional<IotlbEntry> want = FindByScan(t, at);
        const std::vector<const IntervalTable*> tables = {&t, &journaled, &copy, &assigned};
        for (const IntervalTable* table : tables) {
          const IotlbEntry* got = table->Find(at);
          ASSERT_EQ(got != nullptr, want.has_value())
              << "seed " << seed << " step " << step << " addr 0x" << std::hex << at;
          if (got != nullptr) {
            ASSERT_EQ(*got, *want) << "seed " << seed << " step " << step;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace iovacheck
