// PageIndex holds exactly the small page-aligned mappings, page by page, and
// forgets them whole.
#include "translator/page_index.h"

#include <gtest/gtest.h>

#include <optional>

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;

TEST(PageIndex, FindsEveryPageOfASmallAlignedMapping) {
  PageIndex index(kPage);
  index.Add({0x10000, 0x12fff, 0x5000});
  for (uint64_t a : {0x10000ull, 0x10fffull, 0x11234ull, 0x12fffull}) {
    const std::optional<PageIndex::Mapping> m = index.Find(a);
    ASSERT_TRUE(m.has_value()) << std::hex << a;
    EXPECT_EQ(m->start, 0x10000u);
    EXPECT_EQ(m->last, 0x12fffu);
    EXPECT_EQ(m->iova, 0x5000u);
  }
  EXPECT_FALSE(index.Find(0xffff).has_value());
  EXPECT_FALSE(index.Find(0x13000).has_value());
  index.Remove(0x10000, 0x12fff);
  EXPECT_FALSE(index.Find(0x11000).has_value());
}

TEST(PageIndex, LeavesLargeAndUnalignedMappingsToTheOrderedMap) {
  PageIndex index(kPage);
  index.Add({0, PageIndex::kMaxPages * kPage - 1, 0x1000});  // the largest indexed
  EXPECT_TRUE(index.Find(0x3000).has_value());
  index.Add({0x100000, 0x100000 + (PageIndex::kMaxPages + 1) * kPage - 1, 0});
  EXPECT_FALSE(index.Find(0x100000).has_value());
  index.Add({0x200800, 0x2017ff, 0});  // starts mid-page
  EXPECT_FALSE(index.Find(0x201000).has_value());
  index.Add({0x300000, 0x3007ff, 0});  // ends mid-page
  EXPECT_FALSE(index.Find(0x300000).has_value());
  index.Add({~uint64_t{0} - 0xfff, ~uint64_t{0}, 0});  // the top page: last + 1 wraps
  EXPECT_FALSE(index.Find(~uint64_t{0}).has_value());
  index.Add({0x400000, 0x400fff, 0x800});  // an IOVA off its page
  EXPECT_FALSE(index.Find(0x400000).has_value());
  // Removing what was never indexed leaves the rest alone.
  index.Remove(0x100000, 0x100000 + (PageIndex::kMaxPages + 1) * kPage - 1);
  EXPECT_TRUE(index.Find(0x3000).has_value());
}

// Past 2 MiB the table's slots move to huge-page blocks as it grows and
// shrinks: every answer must survive the moves, and nothing may linger.
TEST(PageIndex, AnswersThroughGrowthIntoHugePageBlocks) {
  PageIndex index(kPage);
  constexpr uint64_t kMappings = 300000;  // ~8 MiB of slots
  for (uint64_t i = 0; i < kMappings; ++i)
    index.Add({2 * i * kPage, 2 * i * kPage + kPage - 1, i * kPage});
  for (uint64_t i = 0; i < kMappings; i += 997) {
    std::optional<PageIndex::Mapping> m = index.Find(2 * i * kPage + 5);
    ASSERT_TRUE(m.has_value()) << i;
    EXPECT_EQ(m->iova, i * kPage);
    EXPECT_FALSE(index.Find(2 * i * kPage + kPage).has_value());
  }
  for (uint64_t i = 0; i < kMappings; ++i) index.Remove(2 * i * kPage, 2 * i * kPage + kPage - 1);
  EXPECT_FALSE(index.Find(0).has_value());
  EXPECT_FALSE(index.Find(2 * (kMappings - 1) * kPage).has_value());
}

}  // namespace
}  // namespace iovacheck
