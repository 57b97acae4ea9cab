// The map of a moment with an alias, a stale entry and a missing mapping:
// what it holds, and that its SVG is well-formed and shows every band.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "maps/map_builder.h"
#include "maps/svg_render.h"
#include "maps/xml_check.h"
#include "model/iotlb_msg.h"
#include "model/reference_model.h"
#include "model/test_fixtures.h"
#include "model/vdpa_device.h"

namespace iovacheck {
namespace {

IotlbMsg Update(uint64_t iova, uint64_t size, uint64_t uaddr) {
  IotlbMsg m;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = kPermRW;
  m.type = kIotlbUpdate;
  return m;
}

// Low and high RAM are mapped (at IOVA = GPA: with shadow data any IOVA
// serves); smram-open-high (an alias inside low RAM's HVA) is not; one
// entry maps a page of high RAM at an IOVA nothing asks for.
struct Moment {
  DeviceConfig config;
  ReferenceModel model{config};
  VdpaDevice device{config};
  static constexpr uint64_t kStaleIova = 0x300000000000;

  Moment() {
    EXPECT_TRUE(model.AddSection(kFactsLow).ok());
    EXPECT_TRUE(model.AddSection(kFactsHigh).ok());
    EXPECT_TRUE(model.AddSection(kFactsSmram).ok());
    for (const Section& s : {kFactsLow, kFactsHigh}) {
      EXPECT_EQ(device.Write(Update(s.gpa, s.size, s.hva)).err, 0);
    }
    EXPECT_EQ(device.Write(Update(kStaleIova, 0x1000, kFactsHigh.hva)).err, 0);
  }
};

const Band* Find(const AddressMap& map, Space space, BandKind kind, uint64_t start) {
  for (const Band& b : map.bands) {
    if (b.space == space && b.kind == kind && b.start == start) return &b;
  }
  return nullptr;
}

TEST(AddressMap, MarksTheAliasTheStaleEntryAndTheMissingMapping) {
  Moment m;
  const AddressMap map = BuildAddressMap(m.model, m.device, std::nullopt, "moment");
  const Band* low = Find(map, Space::kHva, BandKind::kHostMemory, kFactsLow.hva);
  const Band* smram = Find(map, Space::kHva, BandKind::kHostMemory, kFactsSmram.hva);
  const Band* high = Find(map, Space::kHva, BandKind::kHostMemory, kFactsHigh.hva);
  ASSERT_NE(low, nullptr);
  ASSERT_NE(smram, nullptr);
  ASSERT_NE(high, nullptr);
  EXPECT_TRUE(low->alias);
  EXPECT_TRUE(smram->alias);
  EXPECT_FALSE(high->alias);
  EXPECT_TRUE(smram->warn);  // its mapping is missing

  const Band* live = Find(map, Space::kIova, BandKind::kEntry, kFactsLow.gpa);
  const Band* stale = Find(map, Space::kIova, BandKind::kEntry, Moment::kStaleIova);
  // At the IOVA first fit hands smram (the model has shadow data on).
  const Band* missing = nullptr;
  for (const Band& b : map.bands) {
    if (b.kind == BandKind::kMissing) missing = &b;
  }
  ASSERT_NE(live, nullptr);
  ASSERT_NE(stale, nullptr);
  ASSERT_NE(missing, nullptr) << absl::StrJoin(map.notes, "\n");
  EXPECT_FALSE(live->warn);
  EXPECT_TRUE(stale->warn);
  EXPECT_TRUE(missing->warn);
  EXPECT_EQ(missing->last - missing->start + 1, kFactsSmram.size);

  int stale_notes = 0, missing_notes = 0;
  for (const std::string& n : map.notes) {
    stale_notes += absl::StartsWith(n, "stale entry");
    missing_notes += absl::StartsWith(n, "missing");
  }
  EXPECT_EQ(stale_notes, 1);
  EXPECT_EQ(missing_notes, 1);

  // Every section joins its host memory; every entry its HVA.
  int gpa_links = 0, iova_links = 0;
  for (const Link& l : map.links) {
    gpa_links += map.bands[l.from.band].space == Space::kGpa;
    iova_links += map.bands[l.from.band].space == Space::kIova;
    EXPECT_EQ(map.bands[l.to.band].space, Space::kHva);
  }
  EXPECT_EQ(gpa_links, 3);
  // Low RAM's entry reaches smram's HVA too (the alias), and so would the
  // missing smram mapping: two links each; high RAM and the stale page one.
  EXPECT_EQ(iova_links, 6);
}

TEST(AddressMap, MarksWhatTheDivergenceNames) {
  Moment m;
  Divergence d;
  d.rule = OracleRule::kDatapath;
  d.expected = "a <buffer> & more";
  d.actual = "refused";
  d.gpas = {kFactsHigh.gpa + 5};
  const AddressMap map = BuildAddressMap(m.model, m.device, d, "at event 7");
  const Band* high = Find(map, Space::kGpa, BandKind::kSection, kFactsHigh.gpa);
  const Band* low = Find(map, Space::kGpa, BandKind::kSection, kFactsLow.gpa);
  ASSERT_NE(high, nullptr);
  ASSERT_NE(low, nullptr);
  EXPECT_TRUE(high->warn);
  EXPECT_FALSE(low->warn);
  ASSERT_FALSE(map.notes.empty());
  EXPECT_TRUE(absl::StartsWith(map.notes[0], "datapath")) << map.notes[0];
}

TEST(AddressMapSvg, IsWellFormedAndShowsEveryBandWithItsAddresses) {
  Moment m;
  Divergence d;
  d.rule = OracleRule::kStale;
  d.expected = "a <buffer> & \"more\"";
  d.actual = "it's stale";
  const AddressMap map = BuildAddressMap(m.model, m.device, d, "moment <1> & more");
  const std::string svg = RenderSvg(map);
  absl::Status xml = CheckWellFormedXml(svg);
  ASSERT_TRUE(xml.ok()) << xml;
  size_t groups = 0;
  for (size_t at = svg.find("<g class=\"band"); at != std::string::npos;
       at = svg.find("<g class=\"band", at + 1)) {
    ++groups;
  }
  EXPECT_EQ(groups, map.bands.size());
  for (const Band& b : map.bands) {
    EXPECT_NE(svg.find("<title>" + XmlEscape(b.title) + "</title>"), std::string::npos) << b.title;
  }
  EXPECT_NE(svg.find("0x300000000000"), std::string::npos);  // the stale entry, in hex
  EXPECT_NE(svg.find("class=\"band warn"), std::string::npos);
  EXPECT_NE(svg.find("class=\"link warn"), std::string::npos);
  EXPECT_NE(svg.find("<g class=\"gap\">"), std::string::npos);
}

TEST(XmlCheck, RefusesWhatIsNotWellFormed) {
  EXPECT_TRUE(CheckWellFormedXml("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t &amp; u</a>\n").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a><b></a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a>&nbsp;</a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a></a><b></b>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a x=\"<\"></a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a x=\"1\" x=\"2\"></a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a>1 < 2</a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a>\x01</a>").ok());
  EXPECT_FALSE(CheckWellFormedXml("<a>").ok());
}

}  // namespace
}  // namespace iovacheck
