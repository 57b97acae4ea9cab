#include "translator/iova_allocator.h"

#include <cerrno>
#include <map>
#include <vector>

#include "gtest/gtest.h"
#include "translator/first_fit.h"

namespace iovacheck {
namespace {

std::vector<std::pair<uint64_t, uint64_t>> Ranges(const IovaAllocator& a) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const IovaAllocation& r : a.Allocations()) out.push_back({r.iova, r.len});
  return out;
}

uint64_t MustAllocate(IovaAllocator& a, absl::uint128 len) {
  uint64_t iova = 0;
  EXPECT_EQ(a.Allocate(len, &iova), 0);
  return iova;
}

TEST(AllocatableIovaFirst, NeverPageZero) {
  DeviceConfig config;
  config.iova_first = 0;
  EXPECT_EQ(AllocatableIovaFirst(config), 0x1000u);
  config.iova_first = 0x10;
  EXPECT_EQ(AllocatableIovaFirst(config), 0x1000u);
  config.iova_first = 0x100000;
  EXPECT_EQ(AllocatableIovaFirst(config), 0x100000u);
}

TEST(IovaAllocator, FactsTableAddresses) {
  DeviceConfig config;  // iova_first 0, page 4096
  IovaAllocator a(config);
  EXPECT_EQ(MustAllocate(a, 0x80000000), 0x1000u);
  EXPECT_EQ(MustAllocate(a, 0x1f80000000), 0x80001000u);
  EXPECT_EQ(MustAllocate(a, 0x20000), 0x2000001000u);
}

TEST(IovaAllocator, ExactFitReusesFreedHole) {
  IovaAllocator a(0x1000, 0xffffffff);
  EXPECT_EQ(MustAllocate(a, 0x1000), 0x1000u);
  EXPECT_EQ(MustAllocate(a, 0x3000), 0x2000u);
  EXPECT_EQ(MustAllocate(a, 0x1000), 0x5000u);
  a.Remove(0x2000, 0x3000);
  // Too big for the hole: goes after the last range.
  EXPECT_EQ(MustAllocate(a, 0x4000), 0x6000u);
  // Exactly the hole's size: first fit takes it.
  EXPECT_EQ(MustAllocate(a, 0x3000), 0x2000u);
}

TEST(IovaAllocator, SmallerRequestTakesLowestPartOfHole) {
  IovaAllocator a(0x1000, 0xffffffff);
  MustAllocate(a, 0x1000);
  MustAllocate(a, 0x4000);
  MustAllocate(a, 0x1000);
  a.Remove(0x2000, 0x4000);
  EXPECT_EQ(MustAllocate(a, 0x1000), 0x2000u);
  EXPECT_EQ(MustAllocate(a, 0x2000), 0x3000u);
  EXPECT_EQ(MustAllocate(a, 0x1000), 0x5000u);
}

TEST(IovaAllocator, NoMemWhenRangeIsFull) {
  IovaAllocator a(0x1000, 0x3fff);
  uint64_t iova = 0;
  EXPECT_EQ(a.Allocate(0x4000, &iova), ENOMEM);
  EXPECT_EQ(MustAllocate(a, 0x2000), 0x1000u);
  EXPECT_EQ(MustAllocate(a, 0x1000), 0x3000u);  // ends exactly at last
  EXPECT_EQ(a.Allocate(0x1000, &iova), ENOMEM);
  EXPECT_EQ(Ranges(a), (std::vector<std::pair<uint64_t, uint64_t>>{
                           {0x1000, 0x2000}, {0x3000, 0x1000}}));
}

TEST(IovaAllocator, InvalidAndHugeLengths) {
  IovaAllocator a(0x1000, ~uint64_t{0});
  uint64_t iova = 0;
  EXPECT_EQ(a.Allocate(0, &iova), EINVAL);
  EXPECT_EQ(a.Allocate(absl::MakeUint128(1, 0), &iova), ENOMEM);
  // Up to the very top of the address space.
  EXPECT_EQ(MustAllocate(a, absl::uint128(~uint64_t{0}) - 0xfff), 0x1000u);
  EXPECT_EQ(a.Allocate(1, &iova), ENOMEM);
  EXPECT_EQ(Ranges(a), (std::vector<std::pair<uint64_t, uint64_t>>{
                           {0x1000, ~uint64_t{0} - 0xfff}}));
  a.Remove(~uint64_t{0}, 1);
  EXPECT_TRUE(a.Allocations().empty());
}

TEST(IovaAllocator, RemoveTakesEveryOverlappingAllocationWhole) {
  IovaAllocator a(0x1000, 0xffffffff);
  MustAllocate(a, 0x2000);  // [0x1000, 0x3000)
  MustAllocate(a, 0x1000);  // [0x3000, 0x4000)
  MustAllocate(a, 0x2000);  // [0x4000, 0x6000)
  MustAllocate(a, 0x1000);  // [0x6000, 0x7000)
  a.Remove(0x2fff, 0x1002);  // touches the first three
  EXPECT_EQ(Ranges(a),
            (std::vector<std::pair<uint64_t, uint64_t>>{{0x6000, 0x1000}}));
  a.Remove(0x5000, 0x1000);  // a hole: nothing
  a.Remove(0x6000, 0);       // empty range: nothing
  EXPECT_EQ(a.Allocations().size(), 1u);
}

TEST(FindFirstFit, IgnoresHolesBelowFirstAndRespectsLast) {
  std::map<uint64_t, uint64_t> ranges = {{0x0, 0xfff}, {0x5000, 0x5fff}};
  auto last_of = [](uint64_t last) { return last; };
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x3000, 0x7fff, 0x2000), 0x3000u);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x3000, 0x7fff, 0x3000), std::nullopt);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x5800, 0x7fff, 0x2000), 0x6000u);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x5800, 0x7ffe, 0x2000), std::nullopt);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x0, 0x7fff, 0x1000), 0x1000u);
}

// A hole between two ranges takes exactly its own length, not a byte more
// (a mutant that let a one-byte-short hole fit survived the properties:
// only the legacy single tree uses this walk).
TEST(FindFirstFit, HoleBetweenRangesFitsExactlyItsLength) {
  std::map<uint64_t, uint64_t> ranges = {{0x1000, 0x1fff}, {0x3000, 0x3fff}};
  auto last_of = [](uint64_t last) { return last; };
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x1000, 0xffff, 0x1000), 0x2000u);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x1000, 0xffff, 0x1001), 0x4000u);
}

// Nothing is allocated for nothing: a zero length would otherwise "fit" at
// the first free address (and wrap to 2^64 - 1 as its last byte).
TEST(FindFirstFit, AnEmptyLengthFitsNowhere) {
  std::map<uint64_t, uint64_t> ranges = {{0x1000, 0x1fff}};
  auto last_of = [](uint64_t last) { return last; };
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x0, 0xffff, 0), std::nullopt);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x2000, 0xffff, 0), std::nullopt);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x2000, 0xffff, 1), 0x2000u);
}

// A range of one address holds one byte, and only there.
TEST(FindFirstFit, AOneAddressRangeHoldsOneByte) {
  std::map<uint64_t, uint64_t> ranges = {{0x1000, 0x1fff}};
  auto last_of = [](uint64_t last) { return last; };
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x2000, 0x2000, 1), 0x2000u);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x2000, 0x2000, 2), std::nullopt);
  EXPECT_EQ(FindFirstFit(ranges, last_of, 0x1fff, 0x1fff, 1), std::nullopt);
}

}  // namespace
}  // namespace iovacheck
