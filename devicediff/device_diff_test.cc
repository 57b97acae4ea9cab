// The differential in the default test run: the emulation agrees with Linux
// 6.12's and 6.1's own code on 200,000 generated operations each, over every
// device kind,
// and each bug planted in a copy of the emulation is caught and shrunk.
#include "devicediff/device_diff.h"

#include <gtest/gtest.h>

#include "devicediff/diff_configs.h"
#include "devicediff/op_generator.h"
#include "devicediff/planted_bug_device.h"

namespace iovacheck {
namespace {

// At least 200,000 operations on fresh devices, 2,000 per run, every
// configuration in turn; the first disagreement fails the test, shrunk.
void ExpectAgreement(KernelProfile profile, const std::string& kernel) {
  const std::vector<DeviceConfig> configs = DiffConfigs(profile);
  size_t compared = 0;
  for (uint64_t seed = 1; compared < 200000; ++seed) {
    const DeviceConfig& c = configs[seed % configs.size()];
    std::vector<DeviceOp> ops = GenerateOps(seed, c, 2000);
    absl::StatusOr<std::optional<Disagreement>> r =
        RunDiff(ops, NamedDevice(c, "emulated"), NamedDevice(c, kernel));
    ASSERT_TRUE(r.ok()) << r.status();
    if (r->has_value()) {
      std::vector<DeviceOp> minimal =
          ShrinkDiff(ops, NamedDevice(c, "emulated"), NamedDevice(c, kernel));
      std::string listing;
      for (const DeviceOp& op : minimal) listing += "  " + DeviceOpToString(op) + "\n";
      FAIL() << kernel << " seed " << seed << " " << DeviceConfigToString(c) << ": "
             << (*r)->what << "\nminimal:\n" << listing;
    }
    compared += ops.size();
  }
}

TEST(DeviceDiffTest, EmulationAgreesWithLinux612On200000Operations) {
  ExpectAgreement(KernelProfile::kLinux612, "linux-6.12");
}

TEST(DeviceDiffTest, EmulationAgreesWithLinux61On200000Operations) {
  ExpectAgreement(KernelProfile::kLinux61, "linux-6.1");
}

TEST(DeviceDiffTest, EveryPlantedBugIsCaughtAndShrunk) {
  for (PlantedBug bug : AllPlantedBugs()) {
    bool caught = false;
    for (uint64_t seed = 1; seed <= 40 && !caught; ++seed) {
      const std::vector<DeviceConfig> configs = DiffConfigs(KernelProfile::kLinux612);
      DeviceConfig c = configs[seed % configs.size()];
      DeviceMaker mutant = [c, bug]() -> absl::StatusOr<std::unique_ptr<Device>> {
        return std::unique_ptr<Device>(new PlantedBugDevice(c, bug));
      };
      std::vector<DeviceOp> ops = GenerateOps(seed, c, 2000);
      absl::StatusOr<std::optional<Disagreement>> r =
          RunDiff(ops, mutant, NamedDevice(c, "linux-6.12"));
      ASSERT_TRUE(r.ok()) << r.status();
      if (!r->has_value()) continue;
      caught = true;
      std::vector<DeviceOp> minimal = ShrinkDiff(ops, mutant, NamedDevice(c, "linux-6.12"));
      EXPECT_LE(minimal.size(), 4u) << PlantedBugName(bug);
      absl::StatusOr<std::optional<Disagreement>> m =
          RunDiff(minimal, mutant, NamedDevice(c, "linux-6.12"));
      ASSERT_TRUE(m.ok());
      EXPECT_TRUE(m->has_value()) << PlantedBugName(bug) << ": the minimal list must still disagree";
    }
    EXPECT_TRUE(caught) << PlantedBugName(bug) << " was not caught in 40 seeds";
  }
}

}  // namespace
}  // namespace iovacheck
