// The neighbourhood part of a replay report, on a hand-built model and device.
#include "traces/neighbourhood.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

Section Named(const std::string& name, uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.name = name;
  return s;
}

IotlbMsg Update(uint32_t asid, uint64_t iova, uint64_t size, uint64_t uaddr) {
  IotlbMsg m;
  m.asid = asid;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = kPermRW;
  m.type = kIotlbUpdate;
  return m;
}

class NeighbourhoodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(model_.AddSection(Named("ram", 0x0, 0x100000, 0x7f0000000000)).ok());
    ASSERT_TRUE(model_.AddSection(Named("alias", 0xfeda0000, 0x20000, 0x7f0000080000)).ok());
    ASSERT_TRUE(model_.AddSection(Named("high", 0x100000000, 0x100000, 0x7f1000000000)).ok());
    HostBuffer ring;
    ring.hva = 0x7f2000000000;
    ring.size = 0x100;  // seen by the device as one page
    ring.perm = kPermRO;
    ring.asid = 1;
    ring.name = "svq-ring";
    ASSERT_TRUE(model_.AddHostBuffer(ring).ok());
    ASSERT_TRUE(device_.Write(Update(0, 0x1000, 0x100000, 0x7f0000000000)).ok());
    ASSERT_TRUE(device_.Write(Update(0, 0x200000, 0x1000, 0x7f5000000000)).ok());
  }
  DeviceConfig config_;
  ReferenceModel model_{config_};
  VdpaDevice device_{config_};
};

TEST_F(NeighbourhoodTest, GpaShowsTheContainingSectionOrBothNeighbours) {
  Divergence d;
  d.gpas = {0x80000, 0x80000, 0x200000};
  const std::string text = DescribeNeighbourhood(model_, device_, d);
  EXPECT_EQ(text.find("GPA 0x80000:"), text.rfind("GPA 0x80000:")) << "not deduplicated";
  EXPECT_TRUE(absl::StrContains(text, "in     section ram gpa [0x0, 0xfffff]")) << text;
  EXPECT_TRUE(absl::StrContains(text, "GPA 0x200000:\n      below  section ram")) << text;
  EXPECT_TRUE(absl::StrContains(text, "      above  section alias gpa [0xfeda0000")) << text;
}

TEST_F(NeighbourhoodTest, HvaNotesAliasesAndHostBuffers) {
  Divergence d;
  d.hvas = {0x7f0000090000, 0x7f2000000800, 0x7f3000000000};
  const std::string text = DescribeNeighbourhood(model_, device_, d);
  EXPECT_TRUE(absl::StrContains(text, "section ram gpa [0x0, 0xfffff] hva [0x7f0000000000, "
                                      "0x7f00000fffff] rw (gpa 0x90000 here)"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "(gpa 0xfedb0000 here)")) << text;
  EXPECT_TRUE(absl::StrContains(text, "alias: 2 live sections share this HVA "
                                      "(gpa 0x90000, 0xfedb0000)"))
      << text;
  // Page-rounded: the device reaches the whole page.
  EXPECT_TRUE(absl::StrContains(text, "in     host buffer svq-ring hva [0x7f2000000000, "
                                      "0x7f2000000fff] RO asid 1"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "HVA 0x7f3000000000:\n      below  host buffer svq-ring"))
      << text;
}

TEST_F(NeighbourhoodTest, IovaShowsEachAddressSpaceAndMarksStaleEntries) {
  Divergence d;
  d.iovas = {0x2000, 0x200000};
  const std::string text = DescribeNeighbourhood(model_, device_, d);
  EXPECT_TRUE(absl::StrContains(
      text, "asid 0: in     iova [0x1000, 0x100fff] -> hva 0x7f0000000000 RW (live: ram)"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "asid 0: in     iova [0x200000, 0x200fff] -> hva 0x7f5000000000 RW (stale"))
      << text;
}

TEST_F(NeighbourhoodTest, ManyAddressesAreCounted) {
  Divergence d;
  for (uint64_t i = 0; i < 20; ++i) d.gpas.push_back(i * 0x1000);
  const std::string text = DescribeNeighbourhood(model_, device_, d);
  EXPECT_TRUE(absl::StrContains(text, "... and 12 more addresses")) << text;
  EXPECT_EQ(DescribeNeighbourhood(model_, device_, Divergence{}),
            "    (the divergence names no address)\n");
}

}  // namespace
}  // namespace iovacheck
