// PageIndex holds exactly the small page-aligned mappings, page by page, and
// forgets them whole.
#include "translator/page_index.h"

#include <gtest/gtest.h>

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;

TEST(PageIndex, FindsEveryPageOfASmallAlignedMapping) {
  PageIndex index(kPage);
  index.Add({0x10000, 0x12fff, 0x5000});
  for (uint64_t a : {0x10000ull, 0x10fffull, 0x11234ull, 0x12fffull}) {
    const PageIndex::Mapping* m = index.Find(a);
    ASSERT_NE(m, nullptr) << std::hex << a;
    EXPECT_EQ(m->start, 0x10000u);
    EXPECT_EQ(m->iova, 0x5000u);
  }
  EXPECT_EQ(index.Find(0xffff), nullptr);
  EXPECT_EQ(index.Find(0x13000), nullptr);
  index.Remove(0x10000, 0x12fff);
  EXPECT_EQ(index.Find(0x11000), nullptr);
}

TEST(PageIndex, LeavesLargeAndUnalignedMappingsToTheOrderedMap) {
  PageIndex index(kPage);
  index.Add({0, PageIndex::kMaxPages * kPage - 1, 0x1000});  // the largest indexed
  EXPECT_NE(index.Find(0x3000), nullptr);
  index.Add({0x100000, 0x100000 + (PageIndex::kMaxPages + 1) * kPage - 1, 0});
  EXPECT_EQ(index.Find(0x100000), nullptr);
  index.Add({0x200800, 0x2017ff, 0});  // starts mid-page
  EXPECT_EQ(index.Find(0x201000), nullptr);
  index.Add({0x300000, 0x3007ff, 0});  // ends mid-page
  EXPECT_EQ(index.Find(0x300000), nullptr);
  index.Add({~uint64_t{0} - 0xfff, ~uint64_t{0}, 0});  // the top page: last + 1 wraps
  EXPECT_EQ(index.Find(~uint64_t{0}), nullptr);
  // Removing what was never indexed leaves the rest alone.
  index.Remove(0x100000, 0x100000 + (PageIndex::kMaxPages + 1) * kPage - 1);
  EXPECT_NE(index.Find(0x3000), nullptr);
}

}  // namespace
}  // namespace iovacheck
