#include "sim/scenarios/flat_view.h"

#include "gtest/gtest.h"

namespace iovacheck {
namespace scenarios {
namespace {

MemRegion Ram(const char* name, uint64_t gpa, uint64_t size, uint64_t block, uint64_t hva,
              int priority = 0) {
  MemRegion r;
  r.name = name;
  r.gpa = gpa;
  r.size = size;
  r.block = block;
  r.hva = hva;
  r.priority = priority;
  return r;
}

TEST(FlatViewTest, HigherPriorityHidesAndSplits) {
  MemoryMap m;
  m.Add(Ram("ram", 0, 0x100000, 1, 0x10000000));
  MemRegion vga = Ram("vga", 0xa0000, 0x20000, 0, 0, 1);
  vga.ram = false;
  const int id = m.Add(vga);
  std::vector<Section> v = m.Render();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].gpa, 0u);
  EXPECT_EQ(v[0].size, 0xa0000u);
  EXPECT_FALSE(v[1].ram);
  EXPECT_EQ(v[2].gpa, 0xc0000u);
  EXPECT_EQ(v[2].hva, 0x100c0000u);

  // Hidden no more: the pieces of one block at contiguous HVAs merge.
  m.Get(id).enabled = false;
  v = m.Render();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].size, 0x100000u);
  EXPECT_EQ(v[0].name, "ram@0x0");
}

TEST(FlatViewTest, DoesNotMergeAcrossBlocksFlagsOrHvaGaps) {
  MemoryMap m;
  m.Add(Ram("a", 0, 0x1000, 1, 0x10000));
  m.Add(Ram("b", 0x1000, 0x1000, 2, 0x11000));  // other block
  MemRegion ro = Ram("c", 0x2000, 0x1000, 2, 0x12000);
  ro.readonly = true;
  m.Add(ro);
  m.Add(Ram("d", 0x3000, 0x1000, 2, 0x20000));  // HVA not contiguous
  EXPECT_EQ(m.Render().size(), 4u);
}

TEST(FlatViewTest, DiffKeepsUnchangedSections) {
  MemoryMap m;
  m.Add(Ram("low", 0, 0x1000, 1, 0x10000));
  const int alias = m.Add(Ram("alias", 0x8000, 0x1000, 1, 0x10000));
  const std::vector<Section> before = m.Render();
  m.Remove(alias);
  const ViewChange c = DiffViews(before, m.Render());
  EXPECT_TRUE(c.adds.empty());
  ASSERT_EQ(c.dels.size(), 1u);
  EXPECT_EQ(c.dels[0].gpa, 0x8000u);
}

}  // namespace
}  // namespace scenarios
}  // namespace iovacheck
