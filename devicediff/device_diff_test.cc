// The differential in the default test run: the emulation agrees with Linux
// 6.12's and 6.1's own code on 200,000 generated operations each, over every
// device kind,
// and each bug planted in a copy of the emulation is caught and shrunk.
#include "devicediff/device_diff.h"

#include <gtest/gtest.h>

#include <iostream>

#include "devicediff/diff_configs.h"
#include "devicediff/op_generator.h"
#include "devicediff/planted_bug_device.h"
#include "devices/isolated_kernel_device.h"
#include "props/test_seed.h"

namespace iovacheck {
namespace {

// At least 200,000 write() messages (plus the DMAs, resets and reopens
// between them; a tenth of that under the sanitizers, TestCases) on fresh
// devices, 2,000 operations per run, every configuration in turn; the first
// disagreement fails the test, shrunk.
void ExpectAgreement(KernelProfile profile, const std::string& kernel) {
  const std::vector<DeviceConfig> configs = DiffConfigs(profile);
  size_t compared = 0;
  size_t operations = 0;
  const size_t wanted = static_cast<size_t>(TestCases(200000));
  for (uint64_t seed = 1; compared < wanted; ++seed) {
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
    compared += CountMessages(ops);
    operations += ops.size();
  }
  std::cout << kernel << ": " << compared << " write() messages agree, in " << operations
            << " operations\n";
}

TEST(DeviceDiffTest, EmulationAgreesWithLinux612On200000Messages) {
  ExpectAgreement(KernelProfile::kLinux612, "linux-6.12");
}

TEST(DeviceDiffTest, EmulationAgreesWithLinux61On200000Messages) {
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

// The kernel's code crashing inside a write is the disagreement, named, and
// the differential (and the process running it) goes on.
TEST(DeviceDiffTest, AKernelCrashIsReportedNotFatal) {
  DeviceConfig c = DiffConfigs(KernelProfile::kLinux612)[0];
  c.device = "linux-6.12";
  const DeviceMaker crashing = [c]() -> absl::StatusOr<std::unique_ptr<Device>> {
    absl::StatusOr<std::unique_ptr<IsolatedKernelDevice>> d = IsolatedKernelDevice::Open("6.12", c);
    if (!d.ok()) return d.status();
    (*d)->MisbehaveNextAllocation(1);
    return std::unique_ptr<Device>(std::move(*d));
  };
  IotlbMsg update;
  update.type = kIotlbUpdate;
  update.iova = 0x1000;
  update.size = 0x1000;
  update.uaddr = 0x7f0000000000;
  update.perm = kPermRW;
  absl::StatusOr<std::optional<Disagreement>> r =
      RunDiff({WriteOp{update}}, NamedDevice(c, "emulated"), crashing);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->op_index, 0u);
  EXPECT_NE((*r)->what.find("b (linux-6.12) crashed: SIGSEGV during write() of"), std::string::npos)
      << (*r)->what;
  // The next run has a healthy kernel again.
  absl::StatusOr<std::optional<Disagreement>> again =
      RunDiff({WriteOp{update}}, NamedDevice(c, "emulated"), NamedDevice(c, "linux-6.12"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

}  // namespace
}  // namespace iovacheck
