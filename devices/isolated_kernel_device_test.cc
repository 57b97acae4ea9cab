// Linux's code as the device runs in a child process: it answers exactly as
// the in-process kernel device does, and when the kernel's text crashes or
// hangs, the run goes on with a verdict naming the call, never dies.
#include "devices/isolated_kernel_device.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "devices/kernel_device.h"
#include "sim/harness.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

IotlbMsg Update(uint64_t iova, uint64_t size, uint64_t uaddr) {
  IotlbMsg m;
  m.type = kIotlbUpdate;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = kPermRW;
  return m;
}

std::unique_ptr<IsolatedKernelDevice> OpenIsolated(const DeviceConfig& c) {
  absl::StatusOr<std::unique_ptr<IsolatedKernelDevice>> d = IsolatedKernelDevice::Open("6.12", c);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? std::move(*d) : nullptr;
}

TEST(IsolatedKernelDevice, AnswersAsTheKernelDoesInProcess) {
  DeviceConfig c;
  c.device = "linux-6.12";
  std::unique_ptr<IsolatedKernelDevice> iso = OpenIsolated(c);
  ASSERT_NE(iso, nullptr);
  absl::StatusOr<std::unique_ptr<KernelDevice>> direct = KernelDevice::Open("6.12", c);
  ASSERT_TRUE(direct.ok()) << direct.status();
  for (const IotlbMsg& m : {Update(0x1000, 0x2000, 0x7f0000000000),
                            Update(0x2000, 0x1000, 0x7f0000100000),  // EEXIST
                            Update(0x0, 0x1000, 0x7ffffffff000)}) {  // refused, wipes
    EXPECT_EQ(iso->Write(m).err, (*direct)->Write(m).err) << IotlbMsgToString(m);
    ASSERT_NE(iso->vhost_table(0), nullptr);
    EXPECT_EQ(*iso->vhost_table(0), *(*direct)->vhost_table(0));
    EXPECT_EQ(*iso->device_table(0), *(*direct)->device_table(0));
    EXPECT_EQ(iso->parent_default(0), (*direct)->parent_default(0));
  }
  ASSERT_EQ(iso->Write(Update(0x1000, 0x2000, 0x7f0000000000)).err, 0);
  std::vector<DmaSegment> segs;
  EXPECT_EQ(iso->Dma(0, 0x1800, 0x10, kPermWO, &segs), 0);
  EXPECT_EQ(segs, (std::vector<DmaSegment>{{0x7f0000000800, 0x10}}));
  EXPECT_EQ(iso->Dma(0, 0x8000, 0x10, kPermWO, &segs), EINVAL);
  iso->Reset();
  EXPECT_TRUE(iso->parent_default(0));
  EXPECT_FALSE(iso->death().has_value());
}

TEST(IsolatedKernelDevice, ACrashInTheKernelsCodeIsADeathNamingTheCall) {
  DeviceConfig c;
  c.device = "linux-6.12";
  std::unique_ptr<IsolatedKernelDevice> d = OpenIsolated(c);
  ASSERT_NE(d, nullptr);
  d->MisbehaveNextAllocation(1);
  const WriteResult r = d->Write(Update(0x1000, 0x1000, 0x7f0000000000));
  EXPECT_EQ(r.err, EFAULT);
  ASSERT_TRUE(d->death().has_value());
  EXPECT_FALSE(d->death()->hang);
  EXPECT_EQ(d->death()->detail, "SIGSEGV");
  EXPECT_NE(d->death()->during.find("UPDATE"), std::string::npos) << d->death()->during;
  // Dead, it refuses everything and stays dead.
  EXPECT_EQ(d->Write(Update(0x9000, 0x1000, 0x7f0000000000)).err, EFAULT);
  EXPECT_EQ(d->death()->detail, "SIGSEGV");
}

TEST(IsolatedKernelDevice, AHangInTheKernelsCodeIsADeathWithinTheCpuLimit) {
  KernelDeviceLimits().cpu_seconds = 0.5;
  DeviceConfig c;
  c.device = "linux-6.12";
  std::unique_ptr<IsolatedKernelDevice> d = OpenIsolated(c);
  ASSERT_NE(d, nullptr);
  d->MisbehaveNextAllocation(2);
  EXPECT_EQ(d->Write(Update(0x1000, 0x1000, 0x7f0000000000)).err, EFAULT);
  ASSERT_TRUE(d->death().has_value());
  EXPECT_TRUE(d->death()->hang);
  KernelDeviceLimits() = DeviceIsolationLimits{};
}

// In a harness the death is the verdict of the event it happened in, and
// later events are ignored; the process lives on to run the next harness.
TEST(IsolatedKernelDevice, TheHarnessReportsTheDeviceCrashAsACrashVerdict) {
  DeviceConfig c;
  c.device = "linux-6.12";
  absl::StatusOr<TranslatorFactory> decoupled = FindTranslator("decoupled");
  ASSERT_TRUE(decoupled.ok());
  Harness h(c, *decoupled);
  auto* device = dynamic_cast<IsolatedKernelDevice*>(const_cast<Device*>(&h.device()));
  ASSERT_NE(device, nullptr);
  Section ram;
  ram.name = "ram";
  ram.gpa = 0;
  ram.size = 0x100000;
  ram.hva = 0x7f0000000000;
  ASSERT_TRUE(h.Step(ListenerBeginEvent{}).ok());
  device->MisbehaveNextAllocation(1);
  ASSERT_TRUE(h.Step(RegionAddEvent{ram}).ok());
  ASSERT_TRUE(h.failed());
  EXPECT_EQ(h.divergence()->rule, OracleRule::kCrash);
  EXPECT_EQ(h.divergence_index(), 1u);
  EXPECT_NE(h.divergence()->actual.find("CRASH SIGSEGV in linux-6.12"), std::string::npos)
      << h.divergence()->actual;

  Harness next(c, *decoupled);
  ASSERT_TRUE(next.Step(ListenerBeginEvent{}).ok());
  ASSERT_TRUE(next.Step(RegionAddEvent{ram}).ok());
  ASSERT_TRUE(next.Step(ListenerCommitEvent{}).ok());
  EXPECT_FALSE(next.failed()) << DivergenceToString(*next.divergence());
}

}  // namespace
}  // namespace iovacheck
