// Each boundary class is named exactly when its edge is met, and not one
// byte beside it: the reach assertion in the property test is only as good
// as these.
#include "coverage/boundary_classes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "coverage/boundary_names.h"

namespace iovacheck {
namespace {

bool Has(const std::vector<std::string>& classes, const char* name) {
  return std::find(classes.begin(), classes.end(), name) != classes.end();
}

std::vector<std::string> Classes(const ReferenceModel& model, const Event& event) {
  std::vector<std::string> out;
  ClassifyBoundaries(model, event, &out);
  return out;
}

Section Ram(uint64_t gpa, uint64_t size) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = 0x7f0000000000 + (gpa & 0xffffffffff);
  s.name = "ram";
  return s;
}

Event Translate(uint64_t gpa, uint64_t len) {
  Iovec v;
  v.has_gpa = true;
  v.gpa = gpa;
  v.len = len;
  return TranslateEvent{{v}};
}

TEST(BoundaryClasses, ElementEdgesOfASection) {
  ReferenceModel model(DeviceConfig{});
  ASSERT_TRUE(model.AddSection(Ram(0x10000, 0x4000)).ok());
  EXPECT_TRUE(Has(Classes(model, Translate(0x10000, 2)), boundary::kElementAtFirstByte));
  EXPECT_FALSE(Has(Classes(model, Translate(0x10001, 2)), boundary::kElementAtFirstByte));
  EXPECT_TRUE(Has(Classes(model, Translate(0x13000, 0x1000)), boundary::kElementToLastByte));
  EXPECT_FALSE(Has(Classes(model, Translate(0x13000, 0xfff)), boundary::kElementToLastByte));
  EXPECT_TRUE(Has(Classes(model, Translate(0x13000, 0x1001)), boundary::kElementOnePast));
  EXPECT_FALSE(Has(Classes(model, Translate(0x13000, 0x1002)), boundary::kElementOnePast));
  EXPECT_TRUE(Has(Classes(model, Translate(0x11000, 1)), boundary::kElementOneByte));
  EXPECT_TRUE(Has(Classes(model, Translate(0x11000, 0xfff)), boundary::kElementPageLessOne));
  EXPECT_FALSE(Has(Classes(model, Translate(0x11000, 0x1000)), boundary::kElementPageLessOne));
  // Shadow data is on by default: not a translation without it.
  EXPECT_FALSE(Has(Classes(model, Translate(0x11000, 1)), boundary::kTranslateNoShadow));
  EXPECT_TRUE(Has(Classes(model, Translate(~uint64_t{0}, 1)), boundary::kElementTo2To64));
}

TEST(BoundaryClasses, SectionsAtTheDevicesEdges) {
  DeviceConfig c;
  c.iova_first = 0x1000;
  c.iova_last = 0xffffffff;
  ReferenceModel model(c);
  EXPECT_TRUE(Has(Classes(model, RegionAddEvent{Ram(0x1000, 0x1000)}), boundary::kSectionAtFirst));
  EXPECT_FALSE(Has(Classes(model, RegionAddEvent{Ram(0x2000, 0x1000)}), boundary::kSectionAtFirst));
  EXPECT_TRUE(
      Has(Classes(model, RegionAddEvent{Ram(0xfffff000, 0x1000)}), boundary::kSectionToLast));
  EXPECT_FALSE(
      Has(Classes(model, RegionAddEvent{Ram(0xffffe000, 0x1000)}), boundary::kSectionToLast));
  EXPECT_TRUE(Has(Classes(model, RegionAddEvent{Ram(~uint64_t{0} - 0xfff, 0x1000)}),
                  boundary::kSectionTo2To64));
}

TEST(BoundaryClasses, DeviceDmaAtEdges) {
  DeviceConfig c;
  c.iova_last = 0xffffffff;
  ReferenceModel model(c);
  ASSERT_TRUE(model.SetShadow(false).ok());
  ASSERT_TRUE(model.AddSection(Ram(0x10000, 0x4000)).ok());
  EXPECT_TRUE(Has(Classes(model, DeviceDmaEvent{0, 0x10000, 1, false}), boundary::kDmaAtFixedFirst));
  EXPECT_FALSE(Has(Classes(model, DeviceDmaEvent{0, 0x10001, 1, false}), boundary::kDmaAtFixedFirst));
  EXPECT_TRUE(Has(Classes(model, DeviceDmaEvent{0, 0x14000, 1, false}), boundary::kDmaPastSection));
  EXPECT_FALSE(Has(Classes(model, DeviceDmaEvent{0, 0x13fff, 1, false}), boundary::kDmaPastSection));
  EXPECT_TRUE(Has(Classes(model, DeviceDmaEvent{0, 0xffffffff, 1, false}), boundary::kDmaAtLast));
  EXPECT_TRUE(Has(Classes(model, DeviceDmaEvent{0, ~uint64_t{0}, 1, false}), boundary::kDmaAt2To64));
  EXPECT_TRUE(Has(Classes(model, Translate(0x10000, 1)), boundary::kTranslateNoShadow));
}

TEST(BoundaryClasses, SmallRanges) {
  DeviceConfig c;
  std::vector<std::string> out;
  ClassifyDevice(c, &out);
  EXPECT_FALSE(Has(out, boundary::kSmallRange));
  c.iova_first = 0x1000;
  c.iova_last = c.iova_first + 64 * c.page_size - 1;
  ClassifyDevice(c, &out);
  EXPECT_TRUE(Has(out, boundary::kSmallRange));
  EXPECT_FALSE(Has(out, boundary::kHostPageLarger));
  c.page_size = 0x10000;
  ClassifyDevice(c, &out);
  EXPECT_TRUE(Has(out, boundary::kHostPageLarger));
  EXPECT_FALSE(Has(out, boundary::kGuestPageLarger));
}

TEST(BoundaryClasses, SectionAlignedToTheGuestPageOnly) {
  DeviceConfig c;
  c.page_size = 0x10000;
  c.target_page_size = 0x1000;
  ReferenceModel model(c);
  Section s = Ram(0x20000, 0x4000);
  s.hva = 0x7f0000000000 + 0x3000;  // 3 guest pages off the host page
  EXPECT_TRUE(Has(Classes(model, RegionAddEvent{s}), boundary::kSectionGuestAligned));
  s.hva = 0x7f0000000000;  // aligned to both
  EXPECT_FALSE(Has(Classes(model, RegionAddEvent{s}), boundary::kSectionGuestAligned));
  s.hva = 0x7f0000000000 + 0x123;  // aligned to neither
  EXPECT_FALSE(Has(Classes(model, RegionAddEvent{s}), boundary::kSectionGuestAligned));
}

}  // namespace
}  // namespace iovacheck
