// The new paths against the emulated vhost-vdpa device rather than the
// recording fake: after a reset, a replay or a VT-d style unmap the device
// must hold exactly what the kernel's table holds, with no write refused.
#include <cerrno>
#include <vector>

#include "model/vdpa_device.h"
#include "translator/both_translators.h"
#include "translator/device_channel.h"

namespace iovacheck {
namespace {

struct Rig {
  explicit Rig(const DeviceConfig& config, const TranslatorFactory& factory)
      : device(config), channel(&device), t(factory(config, &channel)) {}
  // The parent driver's view equals the kernel's in every address space.
  void ExpectDeviceWhole() const {
    for (const uint32_t asid : device.asids()) {
      EXPECT_EQ(device.device_table(asid)->Entries(),
                device.vhost_table(asid)->Entries())
          << "asid " << asid;
    }
  }
  VdpaDevice device;
  DeviceChannel channel;
  std::unique_ptr<Translator> t;
};

class EmulatedDeviceTest : public ::testing::TestWithParam<NamedFactory> {};

DeviceConfig Kind(DeviceKind kind, bool persist) {
  DeviceConfig config;
  config.kind = kind;
  return persist ? WithPersist(config) : config;
}

TEST_P(EmulatedDeviceTest, ResetInsideATransactionLeavesTheDeviceWhole) {
  for (const DeviceKind kind : {DeviceKind::kDmaMap, DeviceKind::kSetMap}) {
    for (const bool persist : {false, true}) {
      Rig rig(Kind(kind, persist), GetParam().factory);
      Translator& t = *rig.t;
      ASSERT_EQ(t.MapHostBuffer(0x7e0000000000, 0x1000, kPermRO, 1), 0);
      ASSERT_EQ(t.MapHostBuffer(0x7e0000001000, 0x1000, kPermRW, 0), 0);
      t.ListenerBegin();
      ASSERT_EQ(t.RegionAdd(LowRam()), 0);
      rig.device.Reset();
      EXPECT_EQ(t.DeviceReset(), 0);
      ASSERT_EQ(t.RegionAdd(HighRam()), 0);
      t.ListenerCommit();
      EXPECT_FALSE(rig.device.in_batch());
      EXPECT_EQ(rig.channel.refused(), 0);
      rig.ExpectDeviceWhole();
      EXPECT_EQ(rig.device.vhost_table(0)->size(), 3u);
    }
  }
}

TEST_P(EmulatedDeviceTest, ResetWithoutShadowData) {
  Rig rig(Kind(DeviceKind::kDmaMap, false), GetParam().factory);
  Translator& t = *rig.t;
  t.SetShadowData(false);
  ASSERT_EQ(t.RegionAdd(LowRam()), 0);
  ASSERT_EQ(t.MapHostBuffer(0x7e0000000000, 0x1000, kPermRW, 1), 0);
  rig.device.Reset();
  EXPECT_EQ(t.DeviceReset(), 0);
  EXPECT_EQ(rig.channel.refused(), 0);
  rig.ExpectDeviceWhole();
  std::vector<DmaSegment> pieces;
  EXPECT_EQ(rig.device.Dma(0, 0x1000, 0x10, kPermWO, &pieces), 0);
  EXPECT_EQ(pieces, (std::vector<DmaSegment>{{0x7f7903e01000, 0x10}}));
}

TEST_P(EmulatedDeviceTest, IommuReplayAndWholeSpaceUnmap) {
  DeviceConfig config = WithViommu(DeviceConfig{});
  Rig rig(config, GetParam().factory);
  Translator& t = *rig.t;
  ASSERT_EQ(t.IommuMap(0x10000, 0x2000, 0x7f0000000000, kPermRW), 0);
  // A hotplug replay of what the device holds, then a changed mapping.
  EXPECT_EQ(t.IommuMap(0x10000, 0x2000, 0x7f0000000000, kPermRW), 0);
  EXPECT_EQ(t.IommuMap(0x11000, 0x1000, 0x7f0000100000, kPermRO), 0);
  EXPECT_EQ(rig.channel.refused(), 0);
  std::vector<DmaSegment> pieces;
  EXPECT_EQ(rig.device.Dma(0, 0x11000, 0x10, kPermRO, &pieces), 0);
  EXPECT_EQ(pieces, (std::vector<DmaSegment>{{0x7f0000100000, 0x10}}));
  EXPECT_EQ(rig.device.Dma(0, 0x10000, 0x10, kPermRO, &pieces), EINVAL);

  // VT-d's replay: the whole space goes, then everything is mapped again.
  EXPECT_EQ(t.IommuUnmap(0, ~uint64_t{0}), 0);
  EXPECT_TRUE(rig.device.vhost_table(0)->empty());
  EXPECT_EQ(t.IommuMap(0x11000, 0x1000, 0x7f0000100000, kPermRO), 0);
  EXPECT_EQ(rig.channel.refused(), 0);
  rig.ExpectDeviceWhole();
  EXPECT_TRUE(t.Allocations().empty());
}

INSTANTIATE_TEST_SUITE_P(Translators, EmulatedDeviceTest,
                         ::testing::ValuesIn(BothTranslators()),
                         TranslatorParamName);

}  // namespace
}  // namespace iovacheck
