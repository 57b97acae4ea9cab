// Model bugs the simulator's scenarios found, kept as regression tests: each
// demands what the domain facts say, with a neighbour that always passed
// for contrast. The scenarios that met them: device DMAs across a section's
// end without shadow data (q35, hotplug, migration) and across guest IOVA
// entries (viommu), which the model once expected refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/iotlb_msg.h"
#include "sim/harness.h"
#include "translator/decoupled_translator.h"

namespace iovacheck {
namespace {

Section Ram(const char* name, uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.name = name;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

// Two RAM sections next to each other in GPA, at unrelated HVAs (say the end
// of ram-above-4g and a DIMM plugged right after it).
const Section kLow = Ram("ram-above-4g", 0x100000000, 0x10000, 0x7f0000000000);
const Section kDimm = Ram("dimm0", 0x100010000, 0x10000, 0x7c0000000000);

std::string DivergenceOf(const DeviceConfig& config, const std::vector<Event>& events) {
  Harness h(config, &DecoupledTranslator::Create);
  for (const Event& e : events) {
    const absl::Status s = h.Step(e);
    if (!s.ok()) return absl::StrCat("refused input: ", s.message());
  }
  if (!h.failed()) return "";
  return absl::StrCat("divergence at event ", h.divergence_index(), ": ",
                      DivergenceToString(*h.divergence()), "\n", FormatLog(h.log()));
}

std::vector<Event> AdjacentSectionsAtGpa() {
  return {ShadowDataEvent{false}, ListenerBeginEvent{}, RegionAddEvent{kLow},
          RegionAddEvent{kDimm}, ListenerCommitEvent{}};
}

// Facts section 5: the device walks entries from the address and fails only
// at a gap or an unmapped start. Without shadow data the two sections sit
// at IOVA = GPA, back to back: a DMA over their common boundary reaches both
// (two HVA pieces). The model used to expect it refused ("inside no
// mapping"), and the oracle blamed a correct translator.
TEST(ModelRegression, DeviceDmaAcrossAdjacentMappingsAtGpaLandsOnBoth) {
  std::vector<Event> events = AdjacentSectionsAtGpa();
  events.push_back(DeviceDmaEvent{0, kDimm.gpa - 0x800, 0x1000, false});
  EXPECT_EQ(DivergenceOf(DeviceConfig{}, events), "");
}

TEST(ModelRegression, DeviceDmaInsideOneMappingAtGpaIsFine) {
  std::vector<Event> events = AdjacentSectionsAtGpa();
  events.push_back(DeviceDmaEvent{0, kDimm.gpa - 0x1800, 0x1000, false});
  EXPECT_EQ(DivergenceOf(DeviceConfig{}, events), "");
}

DeviceConfig Viommu() {
  DeviceConfig config;
  config.viommu = true;
  return config;
}

std::vector<Event> AdjacentIommuEntries() {
  return {ListenerBeginEvent{}, RegionAddEvent{kLow}, ListenerCommitEvent{},
          IommuMapEvent{0x1000, kLow.gpa, 0x1000, kPermRW},
          IommuMapEvent{0x2000, kLow.gpa + 0x8000, 0x1000, kPermRW}};
}

// The same with a vIOMMU: two guest IOVA entries back to back.
TEST(ModelRegression, DeviceDmaAcrossAdjacentIommuEntriesLandsOnBoth) {
  std::vector<Event> events = AdjacentIommuEntries();
  events.push_back(DeviceDmaEvent{0, 0x1800, 0x1000, true});
  EXPECT_EQ(DivergenceOf(Viommu(), events), "");
}

TEST(ModelRegression, DeviceDmaInsideOneIommuEntryIsFine) {
  std::vector<Event> events = AdjacentIommuEntries();
  events.push_back(DeviceDmaEvent{0, 0x2100, 0x800, true});
  EXPECT_EQ(DivergenceOf(Viommu(), events), "");
}

}  // namespace
}  // namespace iovacheck
