// The parts that shape the memory map: the SMRAM alias lands where facts
// section 2 says, and leaving it while low RAM stays removes the alias
// alone; PAM windows merge with low RAM; under a vIOMMU a transaction that
// removes RAM is preceded by unmapping what the guest IOMMU mapped there.
#include <algorithm>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "model/iotlb_msg.h"
#include "sim/scenarios/machine_memory_map.h"
#include "sim/scenarios/pam.h"
#include "sim/scenarios/smram.h"
#include "sim/scenarios/world.h"

namespace iovacheck {
namespace scenarios {
namespace {

const Section* Named(const std::vector<Section>& view, const char* prefix) {
  auto it = std::find_if(view.begin(), view.end(),
                         [&](const Section& s) { return s.name.rfind(prefix, 0) == 0; });
  return it == view.end() ? nullptr : &*it;
}

const Section* At(const std::vector<Section>& view, uint64_t gpa) {
  for (const Section& s : view) {
    if (gpa - s.gpa < s.size) return &s;
  }
  return nullptr;
}

TEST(SmramPartTest, AliasSharesLowRamHvaAndLeavesAlone) {
  World w;
  SplitMix64 prng(1);
  MachineMemoryMapPart machine(MachineFlavour::kQ35);
  PamPart pam;
  SmramPart smram;
  machine.Boot(prng, w);
  pam.Boot(prng, w);
  smram.Boot(prng, w);
  std::vector<Event> events;
  w.Commit(&events);

  int both = 0;
  int alias_alone_left = 0;
  for (int i = 0; i < 300; ++i) {
    const std::vector<Section> before = w.live;
    events.clear();
    smram.Act(prng, w, &events);
    const Section* alias = Named(w.live, "smram-open-high");
    const Section* low = At(w.live, 0xa0000);
    if (alias != nullptr && low != nullptr && low->ram) {
      // Facts section 2: the alias's HVA lies inside the low-RAM section's.
      ++both;
      EXPECT_GE(alias->hva, low->hva);
      EXPECT_LE(alias->hva + alias->size, low->hva + low->size);
      EXPECT_EQ(alias->hva - low->hva, 0xa0000 - low->gpa);
    }
    const Section* old_low = At(before, 0xa0000);
    if (Named(before, "smram-open-high") != nullptr && alias == nullptr &&
        old_low != nullptr && old_low->ram && low != nullptr && low->ram) {
      // open-both -> open-low: only the alias goes, in one transaction.
      ++alias_alone_left;
      ASSERT_EQ(events.size(), 3u);
      EXPECT_TRUE(std::holds_alternative<ListenerBeginEvent>(events[0]));
      ASSERT_TRUE(std::holds_alternative<RegionDelEvent>(events[1]));
      EXPECT_EQ(std::get<RegionDelEvent>(events[1]).section.gpa, 0xfeda0000u);
      EXPECT_TRUE(std::holds_alternative<ListenerCommitEvent>(events[2]));
    }
  }
  EXPECT_GT(both, 10);
  EXPECT_GT(alias_alone_left, 5);
}

TEST(PamPartTest, ReadWriteWindowsJoinLowRam) {
  World w;
  SplitMix64 prng(2);
  MachineMemoryMapPart machine(MachineFlavour::kQ35);
  PamPart pam;
  SmramPart smram;  // closed: VGA MMIO at 0xa0000 below the windows
  machine.Boot(prng, w);
  pam.Boot(prng, w);
  smram.Boot(prng, w);
  std::vector<Event> events;
  w.Commit(&events);
  // At reset the windows show the ROMs: low RAM is cut at 0xc0000.
  ASSERT_NE(At(w.live, 0xc0000), nullptr);
  EXPECT_TRUE(At(w.live, 0xc0000)->readonly);
  bool joined = false;
  for (int i = 0; i < 200 && !joined; ++i) {
    events.clear();
    pam.Act(prng, w, &events);
    const Section* s = At(w.live, 0x100000);
    joined = s != nullptr && s->gpa == 0xc0000 && !s->readonly;
  }
  EXPECT_TRUE(joined) << "all windows read-write never merged with the RAM above 1 MiB";
}

TEST(WorldTest, IommuEntriesOnRemovedRamAreUnmappedFirstAndRemappedAfter) {
  World w;
  w.config.viommu = true;
  MemRegion ram;
  ram.name = "ram";
  ram.size = 0x100000;
  ram.block = kPcRamBlock;
  ram.hva = 0x7f0000000000;
  w.memory.Add(ram);
  std::vector<Event> events;
  w.Commit(&events);
  w.iommu[0x1000] = IommuEntry{0x2000, 0x10000, kPermRW};  // stays RAM
  w.iommu[0x8000] = IommuEntry{0x1000, 0x85000, kPermRO};  // becomes MMIO
  MemRegion mmio;
  mmio.name = "mmio";
  mmio.gpa = 0x80000;
  mmio.size = 0x10000;
  mmio.priority = 1;
  mmio.ram = false;
  w.memory.Add(mmio);
  events.clear();
  w.Commit(&events);

  ASSERT_EQ(events.size(), 9u);
  ASSERT_TRUE(std::holds_alternative<IommuUnmapEvent>(events[0]));
  EXPECT_EQ(std::get<IommuUnmapEvent>(events[0]).giova, 0x1000u);
  EXPECT_EQ(std::get<IommuUnmapEvent>(events[0]).last, 0x2fffu);
  ASSERT_TRUE(std::holds_alternative<IommuUnmapEvent>(events[1]));
  EXPECT_EQ(std::get<IommuUnmapEvent>(events[1]).giova, 0x8000u);
  EXPECT_TRUE(std::holds_alternative<ListenerBeginEvent>(events[2]));
  EXPECT_TRUE(std::holds_alternative<RegionDelEvent>(events[3]));
  EXPECT_TRUE(std::holds_alternative<ListenerCommitEvent>(events[7]));
  ASSERT_TRUE(std::holds_alternative<IommuMapEvent>(events[8]));
  EXPECT_EQ(std::get<IommuMapEvent>(events[8]).giova, 0x1000u);
  EXPECT_EQ(std::get<IommuMapEvent>(events[8]).gpa, 0x10000u);
  EXPECT_EQ(w.iommu.size(), 1u);
}

}  // namespace
}  // namespace scenarios
}  // namespace iovacheck
