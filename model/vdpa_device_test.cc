#include "model/vdpa_device.h"

#include <cerrno>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "model/device_config.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kFeatDefault = (uint64_t{1} << kFeatureIotlbMsgV2) |
                                  (uint64_t{1} << kFeatureIotlbBatch) |
                                  (uint64_t{1} << kFeatureIotlbAsid);

DeviceConfig Config(DeviceKind kind = DeviceKind::kDmaMap) {
  DeviceConfig c;
  c.kind = kind;
  return c;
}

IotlbMsg Msg(uint8_t type, uint64_t iova = 0, uint64_t size = 0, uint64_t uaddr = 0,
             uint8_t perm = kPermNone, uint32_t asid = 0) {
  IotlbMsg m;
  m.type = type;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = perm;
  m.asid = asid;
  return m;
}
IotlbMsg Update(uint64_t iova, uint64_t size, uint64_t uaddr, uint8_t perm = kPermRW,
                uint32_t asid = 0) {
  return Msg(kIotlbUpdate, iova, size, uaddr, perm, asid);
}
IotlbMsg Invalidate(uint64_t iova, uint64_t size, uint32_t asid = 0) {
  return Msg(kIotlbInvalidate, iova, size, 0, kPermNone, asid);
}
IotlbMsg BatchBegin(uint32_t asid = 0) { return Msg(kIotlbBatchBegin, 0, 0, 0, 0, asid); }
IotlbMsg BatchEnd(uint32_t asid = 0) { return Msg(kIotlbBatchEnd, 0, 0, 0, 0, asid); }

IotlbEntry E(uint64_t start, uint64_t last, uint64_t addr, uint8_t perm = kPermRW) {
  return IotlbEntry{start, last, addr, perm};
}
using Entries = std::vector<IotlbEntry>;
using Segs = std::vector<DmaSegment>;

// A table's entries, failing (not crashing) when the address space is missing.
Entries VhostOf(const VdpaDevice& dev, uint32_t asid) {
  const IntervalTable* t = dev.vhost_table(asid);
  if (t == nullptr) {
    ADD_FAILURE() << "no address space " << asid;
    return {};
  }
  return t->Entries();
}
Entries DeviceOf(const VdpaDevice& dev, uint32_t asid) {
  const IntervalTable* t = dev.device_table(asid);
  if (t == nullptr) {
    ADD_FAILURE() << "no address space " << asid;
    return {};
  }
  return t->Entries();
}

// Asserts write() failed the way the kernel reports a handler error.
void ExpectHandlerError(const WriteResult& r, int handler_err) {
  EXPECT_EQ(r.err, EFAULT);
  EXPECT_EQ(r.handler_err, handler_err);
}

// --- Write(): checks before the handler ------------------------------------

TEST(VdpaDeviceWrite, MalformedVersionIsEinvalDirectly) {
  VdpaDevice dev(Config());
  for (uint32_t version : {0u, 3u, 0xffffffffu}) {
    IotlbMsg m = Update(0x1000, 0x1000, 0x7f0000000000);
    m.version = version;
    WriteResult r = dev.Write(m);
    EXPECT_EQ(r.err, EINVAL) << version;
    EXPECT_EQ(r.handler_err, 0) << version;
  }
  EXPECT_TRUE(dev.asids().empty());  // never reached the handler
}

TEST(VdpaDeviceWrite, UpdateOfSizeZeroIsEinvalDirectly) {
  VdpaDevice dev(Config());
  WriteResult r = dev.Write(Update(0x1000, 0, 0x7f0000000000));
  EXPECT_EQ(r.err, EINVAL);
  EXPECT_EQ(r.handler_err, 0);
  // Checked before the handler: the address space was not even created.
  EXPECT_TRUE(dev.asids().empty());
}

TEST(VdpaDeviceWrite, V1MessageLandsInAsidZero) {
  VdpaDevice dev(Config());
  IotlbMsg m = Update(0x1000, 0x1000, 0x7f0000000000, kPermRW, /*asid=*/1);
  m.version = kMsgV1;
  ASSERT_TRUE(dev.Write(m).ok());
  EXPECT_EQ(dev.asids(), std::vector<uint32_t>{0});
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0x7f0000000000)});
}

TEST(VdpaDeviceWrite, V2WithoutAsidFeatureLandsInAsidZero) {
  DeviceConfig c = Config();
  c.backend_features = (uint64_t{1} << kFeatureIotlbMsgV2) | (uint64_t{1} << kFeatureIotlbBatch);
  VdpaDevice dev(c);
  // asid 7 would be out of range if it were honoured.
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x7f0000000000, kPermRW, 7)).ok());
  EXPECT_EQ(dev.asids(), std::vector<uint32_t>{0});
}

TEST(VdpaDeviceWrite, V2WithAsidFeatureUsesMessageAsid) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x7f0000000000, kPermRW, 1)).ok());
  EXPECT_EQ(dev.asids(), std::vector<uint32_t>{1});
  EXPECT_EQ(dev.vhost_table(0), nullptr);
  EXPECT_EQ(VhostOf(dev, 1).size(), 1u);
}

// --- Address spaces ----------------------------------------------------------

TEST(VdpaDeviceAsid, UpdateAndBatchBeginCreateAddressSpaceLazily) {
  VdpaDevice dev(Config());
  EXPECT_TRUE(dev.asids().empty());
  ASSERT_TRUE(dev.Write(BatchBegin(1)).ok());
  EXPECT_EQ(dev.asids(), std::vector<uint32_t>{1});
  EXPECT_TRUE(VhostOf(dev, 1).empty());
  // The parent's side is its own default until something is mapped.
  EXPECT_TRUE(dev.parent_default(1));
  ASSERT_TRUE(dev.Write(BatchEnd(1)).ok());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  EXPECT_EQ(dev.asids(), (std::vector<uint32_t>{0, 1}));
}

TEST(VdpaDeviceAsid, AsidAtOrAboveNumAsIsEfaultEinval) {
  VdpaDevice dev(Config());  // num_as 2
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 2)), EINVAL);
  ExpectHandlerError(dev.Write(BatchBegin(2)), EINVAL);
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 0xffffffff)), EINVAL);
  EXPECT_TRUE(dev.asids().empty());
  EXPECT_FALSE(dev.in_batch());
}

TEST(VdpaDeviceAsid, OtherTypesOnNeverCreatedAsidAreEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 0)).ok());
  ExpectHandlerError(dev.Write(Invalidate(0x1000, 0x1000, 1)), EINVAL);
  // BATCH_END looks the address space up like INVALIDATE does.
  ExpectHandlerError(dev.Write(BatchEnd(1)), EINVAL);
  EXPECT_EQ(dev.asids(), std::vector<uint32_t>{0});
}

// --- UPDATE ------------------------------------------------------------------

TEST(VdpaDeviceUpdate, BelowIovaFirstIsEinval) {
  DeviceConfig c = Config();
  c.iova_first = 0x1000;
  VdpaDevice dev(c);
  ExpectHandlerError(dev.Write(Update(0xfff, 0x1000, 0xa000)), EINVAL);
  ExpectHandlerError(dev.Write(Update(0x0, 0x2000, 0xa000)), EINVAL);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  EXPECT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());  // exactly first
}

TEST(VdpaDeviceUpdate, PastIovaLastIsEinval) {
  DeviceConfig c = Config();
  c.iova_last = 0xffffff;
  VdpaDevice dev(c);
  ExpectHandlerError(dev.Write(Update(0xfff000, 0x1001, 0xa000)), EINVAL);
  ExpectHandlerError(dev.Write(Update(0x1000000, 0x1000, 0xa000)), EINVAL);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  EXPECT_TRUE(dev.Write(Update(0xfff000, 0x1000, 0xa000)).ok());  // ends on last
}

TEST(VdpaDeviceUpdate, LastAddressOverflowIsEinval) {
  VdpaDevice dev(Config());  // iova_last = 2^64-1
  ExpectHandlerError(dev.Write(Update(kMax, 2, 0xa000)), EINVAL);
  ExpectHandlerError(dev.Write(Update(0x1000, kMax, 0xa000)), EINVAL);
  ExpectHandlerError(dev.Write(Update(0x1000, kMax - 0xffe, 0xa000)), EINVAL);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  // Exactly reaching 2^64-1 is fine.
  ASSERT_TRUE(dev.Write(Update(kMax - 0xfff, 0x1000, 0xa000)).ok());
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(kMax - 0xfff, kMax, 0xa000)});
}

TEST(VdpaDeviceUpdate, AnyOverlapIsEexistAdjacentIsAccepted) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x2000, 0xa000)).ok());  // [0x2000, 0x3fff]
  struct Case {
    const char* name;
    uint64_t iova, size;
  };
  for (const Case& c : {Case{"partial left", 0x1000, 0x2000},
                        Case{"partial right", 0x3000, 0x2000},
                        Case{"containing", 0x1000, 0x4000},
                        Case{"contained", 0x2800, 0x800},
                        Case{"identical", 0x2000, 0x2000},
                        Case{"shares first byte", 0x1000, 0x1001},
                        Case{"shares last byte", 0x3fff, 0x1000}}) {
    WriteResult r = dev.Write(Update(c.iova, c.size, 0xb000));
    EXPECT_EQ(r.err, EFAULT) << c.name;
    EXPECT_EQ(r.handler_err, EEXIST) << c.name;
  }
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x2000, 0x3fff, 0xa000)});
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x2000, 0x3fff, 0xa000)});

  EXPECT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xb000)).ok());  // ends at 0x1fff
  EXPECT_TRUE(dev.Write(Update(0x4000, 0x1000, 0xc000)).ok());  // starts at 0x4000
  EXPECT_EQ(VhostOf(dev, 0).size(), 3u);
}

TEST(VdpaDeviceUpdate, PermIsNotValidated) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermNone)).ok());
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x1000, 0xb000, 7)).ok());
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x1000, 0xc000, 0xff)).ok());
  EXPECT_EQ(VhostOf(dev, 0),
            (Entries{E(0x1000, 0x1fff, 0xa000, 0), E(0x2000, 0x2fff, 0xb000, 7),
                     E(0x3000, 0x3fff, 0xc000, 0xff)}));
}

TEST(VdpaDeviceUpdate, DmaMapDeviceGetsEachUpdate) {
  VdpaDevice dev(Config(DeviceKind::kDmaMap));
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRO)).ok());
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000, kPermRO)});
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x2000, 0xb000)).ok());
  EXPECT_EQ(DeviceOf(dev, 0),
            (Entries{E(0x1000, 0x1fff, 0xa000, kPermRO), E(0x3000, 0x4fff, 0xb000)}));
  EXPECT_EQ(dev.set_map_calls(), 0u);
}

TEST(VdpaDeviceUpdate, SetMapDeviceGetsWholeTablePerUpdateOutsideBatch) {
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  EXPECT_EQ(dev.set_map_calls(), 1u);
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x1000, 0xb000)).ok());
  EXPECT_EQ(dev.set_map_calls(), 2u);
  EXPECT_EQ(DeviceOf(dev, 0),
            (Entries{E(0x1000, 0x1fff, 0xa000), E(0x3000, 0x3fff, 0xb000)}));
  // A refused UPDATE reaches no parent.
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0xa000)), EEXIST);
  EXPECT_EQ(dev.set_map_calls(), 2u);
}

// --- INVALIDATE --------------------------------------------------------------

TEST(VdpaDeviceInvalidate, RemovesEveryTouchedEntryWholeNeverSplitting) {
  for (DeviceKind kind : {DeviceKind::kDmaMap, DeviceKind::kSetMap}) {
    VdpaDevice dev(Config(kind));
    ASSERT_TRUE(dev.Write(Update(0x1000, 0x2000, 0xa000)).ok());  // [0x1000,0x2fff]
    ASSERT_TRUE(dev.Write(Update(0x3000, 0x2000, 0xb000)).ok());  // [0x3000,0x4fff]
    ASSERT_TRUE(dev.Write(Update(0x5000, 0x1000, 0xc000)).ok());  // [0x5000,0x5fff]
    // [0x2fff, 0x3000]: one byte of each of the first two entries.
    ASSERT_TRUE(dev.Write(Invalidate(0x2fff, 2)).ok());
    const Entries left{E(0x5000, 0x5fff, 0xc000)};
    EXPECT_EQ(VhostOf(dev, 0), left);
    EXPECT_EQ(DeviceOf(dev, 0), left);
    // The removed ranges are free again, whole.
    EXPECT_TRUE(dev.Write(Update(0x1000, 0x4000, 0xd000)).ok());
  }
}

TEST(VdpaDeviceInvalidate, SizeZeroAtIovaZeroWipesAddressSpace) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(Update(kMax - 0xfff, 0x1000, 0xb000)).ok());
  WriteResult r = dev.Write(Invalidate(0, 0));  // last = 2^64-1
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  EXPECT_TRUE(DeviceOf(dev, 0).empty());
}

TEST(VdpaDeviceInvalidate, SizeZeroAtNonzeroIovaRemovesOnlyStraddlingEntry) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());  // [0x1000,0x1fff]
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x1000, 0xb000)).ok());  // [0x2000,0x2fff]
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x2000, 0xc000)).ok());  // [0x3000,0x4fff]
  // [0x2000, 0x1fff]: only an entry holding both 0x1fff and 0x2000 matches;
  // the two adjacent entries meeting there survive.
  ASSERT_TRUE(dev.Write(Invalidate(0x2000, 0)).ok());
  EXPECT_EQ(VhostOf(dev, 0).size(), 3u);
  // [0x4000, 0x3fff]: inside [0x3000,0x4fff], which goes whole.
  ASSERT_TRUE(dev.Write(Invalidate(0x4000, 0)).ok());
  const Entries left{E(0x1000, 0x1fff, 0xa000), E(0x2000, 0x2fff, 0xb000)};
  EXPECT_EQ(VhostOf(dev, 0), left);
  EXPECT_EQ(DeviceOf(dev, 0), left);
}

TEST(VdpaDeviceInvalidate, OutsideIovaRangeIsAccepted) {
  DeviceConfig c = Config();
  c.iova_first = 0x1000;
  c.iova_last = 0xffffff;
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  EXPECT_TRUE(dev.Write(Invalidate(0, 0x1000)).ok());                  // below first
  EXPECT_TRUE(dev.Write(Invalidate(0x1000000, 0x1000)).ok());          // above last
  EXPECT_TRUE(dev.Write(Invalidate(kMax, 2)).ok());                    // wraps past 2^64
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  // One straddling the lower bound still removes what it touches.
  EXPECT_TRUE(dev.Write(Invalidate(0, 0x1001)).ok());
  EXPECT_TRUE(VhostOf(dev, 0).empty());
}

TEST(VdpaDeviceInvalidate, DmaMapRemovesSameEntriesSetMapCopiesTable) {
  VdpaDevice dma(Config(DeviceKind::kDmaMap));
  VdpaDevice set(Config(DeviceKind::kSetMap));
  for (VdpaDevice* dev : {&dma, &set}) {
    ASSERT_TRUE(dev->Write(Update(0x1000, 0x1000, 0xa000)).ok());
    ASSERT_TRUE(dev->Write(Update(0x2000, 0x1000, 0xb000)).ok());
    ASSERT_TRUE(dev->Write(Invalidate(0x1000, 0x1000)).ok());
    EXPECT_EQ(DeviceOf(*dev, 0), Entries{E(0x2000, 0x2fff, 0xb000)});
  }
  EXPECT_EQ(dma.set_map_calls(), 0u);
  EXPECT_EQ(set.set_map_calls(), 3u);  // two UPDATEs and the INVALIDATE
}

// --- Batches -----------------------------------------------------------------

TEST(VdpaDeviceBatch, SetMapDeviceSeesNothingDuringBatchAndAllAtBatchEnd) {
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_EQ(dev.set_map_calls(), 1u);

  IotlbMsg begin = BatchBegin(0);
  begin.iova = 0xdead;  // ignored
  begin.size = 0;
  begin.perm = 0xff;
  ASSERT_TRUE(dev.Write(begin).ok());
  EXPECT_TRUE(dev.in_batch());
  EXPECT_EQ(dev.batch_asid(), 0u);
  ASSERT_TRUE(dev.Write(Invalidate(0x1000, 0x1000)).ok());
  ASSERT_TRUE(dev.Write(Update(0x4000, 0x1000, 0xb000)).ok());
  ASSERT_TRUE(dev.Write(Update(0x5000, 0x1000, 0xc000)).ok());
  // The parent still holds the pre-batch mapping; the kernel's table moved on.
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  EXPECT_EQ(VhostOf(dev, 0).size(), 2u);
  EXPECT_EQ(dev.set_map_calls(), 1u);

  ASSERT_TRUE(dev.Write(BatchEnd(0)).ok());
  EXPECT_FALSE(dev.in_batch());
  EXPECT_EQ(dev.set_map_calls(), 2u);
  EXPECT_EQ(DeviceOf(dev, 0),
            (Entries{E(0x4000, 0x4fff, 0xb000), E(0x5000, 0x5fff, 0xc000)}));
}

TEST(VdpaDeviceBatch, DmaMapDeviceSeesEachMessageDuringBatch) {
  VdpaDevice dev(Config(DeviceKind::kDmaMap));
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x1000, 0xb000)).ok());
  ASSERT_TRUE(dev.Write(Invalidate(0x1000, 0x1000)).ok());
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x2000, 0x2fff, 0xb000)});
  ASSERT_TRUE(dev.Write(BatchEnd(0)).ok());
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x2000, 0x2fff, 0xb000)});
  EXPECT_EQ(dev.set_map_calls(), 0u);
}

TEST(VdpaDeviceBatch, MessageForAnotherAsidDuringBatchIsEfaultEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 1)).ok());
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  ExpectHandlerError(dev.Write(Update(0x2000, 0x1000, 0xb000, kPermRW, 1)), EINVAL);
  ExpectHandlerError(dev.Write(Invalidate(0x1000, 0x1000, 1)), EINVAL);
  ExpectHandlerError(dev.Write(BatchBegin(1)), EINVAL);
  ExpectHandlerError(dev.Write(BatchEnd(1)), EINVAL);
  // Nothing changed in asid 1 and the batch on asid 0 is still open.
  EXPECT_EQ(VhostOf(dev, 1), Entries{E(0x1000, 0x1fff, 0xa000)});
  EXPECT_TRUE(dev.in_batch());
  EXPECT_EQ(dev.batch_asid(), 0u);
}

TEST(VdpaDeviceBatch, RefusedUpdateForAnotherAsidStillCreatesItsAddressSpace) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 1)), EINVAL);
  EXPECT_EQ(dev.asids(), (std::vector<uint32_t>{0, 1}));
  EXPECT_TRUE(VhostOf(dev, 1).empty());
}

TEST(VdpaDeviceBatch, BatchEndOutsideBatchIsNoOp) {
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_EQ(dev.set_map_calls(), 1u);
  WriteResult r = dev.Write(BatchEnd(0));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(dev.set_map_calls(), 1u);
  EXPECT_FALSE(dev.in_batch());
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
}

// --- Other types -------------------------------------------------------------

TEST(VdpaDeviceWrite, MissAccessFailAndUnknownTypesAreEfaultEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());  // asid 0 exists
  for (uint8_t type : {kIotlbMiss, kIotlbAccessFail, uint8_t{0}, uint8_t{7}, uint8_t{255}}) {
    WriteResult r = dev.Write(Msg(type, 0x1000, 0x1000, 0xa000, kPermRW));
    EXPECT_EQ(r.err, EFAULT) << int{type};
    EXPECT_EQ(r.handler_err, EINVAL) << int{type};
  }
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
}

// --- Reset -------------------------------------------------------------------

// Linux 6.12: VHOST_VDPA_SET_STATUS(0) -> vhost_vdpa_reset's sibling
// _compat_vdpa_reset (drivers/vhost/vdpa.c:241) asks for
// VDPA_RESET_F_CLEAN_MAP without IOTLB_PERSIST, and vdpasim_do_reset
// (drivers/vdpa/vdpa_sim/vdpa_sim.c:152-160) puts every address space back
// into an identity read-write passthrough; in_batch is only cleared by
// vhost_vdpa_reset (vdpa.c:268, at open and release), so a batch goes on.
TEST(VdpaDeviceReset, WithoutPersistParentGoesBackToPassthroughVhostTablesStay) {
  for (DeviceKind kind : {DeviceKind::kDmaMap, DeviceKind::kSetMap}) {
    VdpaDevice dev(Config(kind));
    ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRW, 0)).ok());
    ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xb000, kPermRW, 1)).ok());
    ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
    dev.Reset();
    EXPECT_TRUE(dev.in_batch());
    EXPECT_EQ(dev.batch_asid(), 0u);
    EXPECT_TRUE(dev.parent_default(0));
    EXPECT_TRUE(dev.parent_default(1));
    EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
    EXPECT_EQ(VhostOf(dev, 1), Entries{E(0x1000, 0x1fff, 0xb000)});
    // The kernel still remembers the range: mapping it again is refused,
    // and the device now reaches the identity address, not 0xa000.
    ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0xa000)), EEXIST);
    std::vector<DmaSegment> segs;
    EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), 0);
    EXPECT_EQ(segs, (Segs{{0x1000, 0x10}}));
    // The batch still binds asid 0 (vdpa.c:1329).
    ExpectHandlerError(dev.Write(Invalidate(0x1000, 0x1000, 1)), EINVAL);
  }
}

// Linux 6.1: no IOTLB_PERSIST, and vdpasim_do_reset empties every table.
TEST(VdpaDeviceReset, Linux61EmptiesTheParentAndKeepsTheBatch) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kLinux61;
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  dev.Reset();
  EXPECT_TRUE(dev.in_batch());
  EXPECT_FALSE(dev.parent_default(0));
  EXPECT_TRUE(DeviceOf(dev, 0).empty());
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), EINVAL);
}

// The emulation as first described, kept for old cases: a reset ends the
// batch and empties the parent.
TEST(VdpaDeviceReset, DescribedProfileEndsTheBatchAndEmptiesTheParent) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kDescribed;
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  dev.Reset();
  EXPECT_FALSE(dev.in_batch());
  EXPECT_TRUE(DeviceOf(dev, 0).empty());
}

TEST(VdpaDeviceReset, WithPersistKeepsDeviceTablesAndTheBatch) {
  DeviceConfig c = Config(DeviceKind::kSetMap);
  c.backend_features = kFeatDefault | (uint64_t{1} << kFeatureIotlbPersist);
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  dev.Reset();
  EXPECT_TRUE(dev.in_batch());
  EXPECT_FALSE(dev.parent_default(0));
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
}

// close(2) and open(2) (vhost_vdpa_release, vhost_vdpa_open): the batch
// ends, every address space is removed, and the parents return to their
// default whatever was acked -- the open's reset asks for a clean map
// because the queues carrying the acked features are gone by then.
TEST(VdpaDeviceReopen, EveryAddressSpaceGoesAndTheParentsReturnToTheirDefault) {
  for (KernelProfile profile : {KernelProfile::kLinux612, KernelProfile::kLinux61}) {
    DeviceConfig c = Config(DeviceKind::kSetMap);
    c.profile = profile;
    c.backend_features = kFeatDefault | (uint64_t{1} << kFeatureIotlbPersist);
    VdpaDevice dev(c);
    ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x7f0000000000)).ok());
    ASSERT_TRUE(dev.Write(BatchBegin(1)).ok());
    dev.Reopen();
    EXPECT_FALSE(dev.in_batch());
    EXPECT_TRUE(dev.asids().empty());
    EXPECT_EQ(dev.vhost_table(0), nullptr);
    EXPECT_EQ(dev.parent_default(0), profile == KernelProfile::kLinux612);
    std::vector<DmaSegment> segs;
    EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs),
              profile == KernelProfile::kLinux612 ? 0 : EINVAL);
    // The same range maps again: the kernel's table is gone too.
    EXPECT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x7f0000000000)).ok());
  }
}

// vdpasim_create (vdpa_sim.c:264-276) starts every address space in
// passthrough; the first dma_map or dma_unmap leaves it (vdpa_sim.c:718,
// 738), and vhost_iotlb_add_range splits 0..ULONG_MAX in two halves
// (drivers/vhost/iotlb.c).
TEST(VdpaDeviceLinux612, ParentStartsInPassthroughUntilTheFirstMap) {
  VdpaDevice dev(Config());
  EXPECT_TRUE(dev.parent_default(0));
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(1, 0x5000, 0x10, kPermWO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0x5000, 0x10}}));
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  EXPECT_FALSE(dev.parent_default(0));
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0xa000)});
  EXPECT_TRUE(dev.parent_default(1));
}

// vhost_vdpa_va_map (drivers/vhost/vdpa.c:1094-1141): find_vma fails for a
// user address at or above the last area; what was mapped is undone with
// vhost_vdpa_unmap(iova, mapped), which for mapped == 0 at iova 0 is the
// size-0 unmap that wipes the address space.
TEST(VdpaDeviceLinux612, UaddrOutsideTheMemoryMapIsRefusedAndRolledBack) {
  DeviceConfig c = Config();
  c.process_map = {ProcessArea{0x1000, 0x100000}};
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x10000, 0x1000, 0xa000)).ok());
  ExpectHandlerError(dev.Write(Update(0x20000, 0x1000, 0x100000)), EINVAL);
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x10000, 0x10fff, 0xa000)});
  // Straddling the end: the piece inside is mapped, then unmapped again.
  ExpectHandlerError(dev.Write(Update(0x20000, 0x2000, 0xff000)), EINVAL);
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x10000, 0x10fff, 0xa000)});
  // At iova 0 the rollback of nothing wipes everything (a kernel bug).
  ExpectHandlerError(dev.Write(Update(0x0, 0x1000, 0x200000)), EINVAL);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  EXPECT_TRUE(DeviceOf(dev, 0).empty());
}

// 6.12 (vhost_vdpa_alloc_as, drivers/vhost/vdpa.c:127, and
// vhost_iotlb_add_range_ctx in drivers/vhost/iotlb.c): an address space
// holds at most max_iotlb_entries; the next UPDATE is -ENOSPC, rolled back
// with vhost_vdpa_unmap(iova, 0) -- at iova 0 the size-0 unmap that wipes
// the address space.
TEST(VdpaDeviceLinux612, FullAddressSpaceRefusesWithEnospcAndRollsBack) {
  DeviceConfig c = Config();
  c.max_iotlb_entries = 2;
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x1000, 0xb000)).ok());
  ExpectHandlerError(dev.Write(Update(0x10000, 0x1000, 0xc000)), ENOSPC);
  EXPECT_EQ(VhostOf(dev, 0).size(), 2u);
  EXPECT_EQ(DeviceOf(dev, 0).size(), 2u);
  // Other address spaces have their own limit.
  EXPECT_TRUE(dev.Write(Update(0x10000, 0x1000, 0xc000, kPermRW, 1)).ok());
  ExpectHandlerError(dev.Write(Update(0x0, 0x1000, 0xc000)), ENOSPC);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  EXPECT_TRUE(DeviceOf(dev, 0).empty());
}

// A memory map of several areas: RW shared [0x10000, 0x20000), RO shared
// [0x20000, 0x30000), RW anonymous [0x30000, 0x40000), a gap, RW shared
// [0x50000, 0x60000).
std::vector<ProcessArea> SeveralAreas() {
  return {ProcessArea{0x10000, 0x20000, true, true}, ProcessArea{0x20000, 0x30000, false, true},
          ProcessArea{0x30000, 0x40000, true, false}, ProcessArea{0x50000, 0x60000, true, true}};
}

// vhost_vdpa_va_map (vdpa.c:1094-1141): one entry per area the user range
// crosses; an anonymous area is stepped over (its IOVAs stay unmapped); a
// range starting in a gap maps from there to the next area's end.
TEST(VdpaDeviceLinux612, VaModeMapsOneEntryPerAreaAndStepsOverAnonymousOnes) {
  DeviceConfig c = Config();
  c.process_map = SeveralAreas();
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x100000, 0x30000, 0x1f000)).ok());
  // 0x1000 in the first area, 0x10000 in the read-only one, 0x10000 of the
  // anonymous one stepped over, then 0xf000 from the gap's 0x40000 on.
  EXPECT_EQ(VhostOf(dev, 0), (Entries{E(0x100000, 0x100fff, 0x1f000),
                                      E(0x101000, 0x110fff, 0x20000),
                                      E(0x121000, 0x12ffff, 0x40000)}));
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0x111000, 0x10, kPermRO, &segs), EINVAL);
  // Past the last area nothing is found: refused, the walked part undone.
  ExpectHandlerError(dev.Write(Update(0x200000, 0x20000, 0x58000)), EINVAL);
  EXPECT_EQ(VhostOf(dev, 0).size(), 3u);
}

// vhost_vdpa_pa_map (6.1) pins with FOLL_WRITE when the entry is writable:
// read-only memory is refused for it, accepted read-only; pages are pinned
// across adjacent areas into one run (one entry), and a gap stops them.
TEST(VdpaDeviceLinux61, PaModeRefusesAWritablePinOfReadOnlyMemory) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kLinux61;
  c.process_map = SeveralAreas();
  VdpaDevice dev(c);
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0x20000, kPermRW)), EFAULT);
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0x20000, kPermWO)), EFAULT);
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x20000, kPermRO)).ok());
  // RW from the first area into the read-only one: the first page pins,
  // the second does not (ENOMEM: the chunk came up short).
  ExpectHandlerError(dev.Write(Update(0x10000, 0x2000, 0x1f000, kPermRW)), ENOMEM);
  // Read-only across the first two areas: one entry.
  ASSERT_TRUE(dev.Write(Update(0x10000, 0x2000, 0x1f000, kPermRO)).ok());
  EXPECT_EQ(VhostOf(dev, 0)[1], E(0x10000, 0x11fff, 0x1f000, kPermRO));
  // The anonymous area pins (PA mode does not ask for a shared file); the
  // gap after it does not.
  ASSERT_TRUE(dev.Write(Update(0x20000, 0x1000, 0x3f000)).ok());
  ExpectHandlerError(dev.Write(Update(0x30000, 0x2000, 0x3f000)), ENOMEM);
}


// 6.1 has no limit (vhost_iotlb_init(iotlb, 0, 0)).
TEST(VdpaDeviceLinux61, NoEntryLimit) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kLinux61;
  c.max_iotlb_entries = 2;
  VdpaDevice dev(c);
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(dev.Write(Update(0x1000 + i * 0x2000, 0x1000, 0x7f0000000000)).ok()) << i;
  }
}

// 6.1's vdpa_sim is PA only: vhost_vdpa_pa_map pins whole pages, maps from
// the IOVA's page as many pages as size plus the IOVA's in-page offset
// needs, to uaddr's page (its in-page offset dropped).
TEST(VdpaDeviceLinux61, PaModeMapsWholePagesFromTheIovasPage) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kLinux61;
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0x1800, 0x100, 0x7f0000000123)).ok());
  EXPECT_EQ(VhostOf(dev, 0), Entries{E(0x1000, 0x1fff, 0x7f0000000000)});
  EXPECT_EQ(DeviceOf(dev, 0), Entries{E(0x1000, 0x1fff, 0x7f0000000000)});
  ASSERT_TRUE(dev.Write(Update(0x3f00, 0x200, 0x7f0000005000)).ok());
  EXPECT_EQ(VhostOf(dev, 0)[1], E(0x3000, 0x4fff, 0x7f0000005000));
  // The raw range decides EEXIST, and the rounded entries then overlap it.
  ExpectHandlerError(dev.Write(Update(0x1c00, 0x10, 0x7f0000009000)), EEXIST);
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), 0);  // before the mapped bytes
  EXPECT_EQ(segs, (Segs{{0x7f0000000000, 0x10}}));
}

TEST(VdpaDeviceLinux61, PagesOutsideTheProcessAreRefused) {
  DeviceConfig c = Config();
  c.profile = KernelProfile::kLinux61;
  c.process_map = {ProcessArea{0x1000, 0x100000}};
  VdpaDevice dev(c);
  // Page 0 is never mapped; past the area's end neither.
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0x800)), EFAULT);
  ExpectHandlerError(dev.Write(Update(0x1000, 0x1000, 0x100000)), EFAULT);
  // Starting inside and running out part way through a 512-page chunk.
  ExpectHandlerError(dev.Write(Update(0x1000, 0x2000, 0xff000)), ENOMEM);
  EXPECT_TRUE(VhostOf(dev, 0).empty());
  // PFN_UP(size + offset) wraps to 0 pages for the largest sizes.
  ExpectHandlerError(dev.Write(Update(0x0, kMax, 0x1000)), EINVAL);
}

// iotlb_translate (drivers/vhost/vringh.c:1115-1140) looks up
// [addr, addr + len - 1]: a range that wraps is refused before any entry's
// permission is looked at.
TEST(VdpaDeviceLinux612, WrappingDmaIsEinvalBeforePermissions) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(kMax - 0xfff, 0x1000, 0xa000, kPermRO)).ok());
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, kMax - 0xf, 0x20, kPermWO, &segs), EINVAL);
  EXPECT_EQ(dev.Dma(0, kMax - 0xf, 0x10, kPermWO, &segs), EPERM);
}

// --- Device DMA --------------------------------------------------------------

TEST(VdpaDeviceDma, LenZeroReturnsNoSegments) {
  VdpaDevice dev(Config());
  Segs segs{{1, 1}};
  EXPECT_EQ(dev.Dma(0, 0x1000, 0, kPermRO, &segs), 0);  // even unmapped/unknown
  EXPECT_TRUE(segs.empty());
}

TEST(VdpaDeviceDma, UnknownAsidIsEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(2, 0x1000, 0x10, kPermRO, &segs), EINVAL);  // num_as 2
  EXPECT_TRUE(segs.empty());
}

TEST(VdpaDeviceDma, UnmappedStartIsEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0xff0, 0x20, kPermRO, &segs), EINVAL);  // mapped tail only
  EXPECT_EQ(dev.Dma(0, 0x2000, 0x10, kPermRO, &segs), EINVAL);
  EXPECT_TRUE(segs.empty());
}

TEST(VdpaDeviceDma, GapIsEinval) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(Update(0x3000, 0x1000, 0xb000)).ok());
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0x1800, 0x2000, kPermRO, &segs), EINVAL);
  EXPECT_TRUE(segs.empty());
}

TEST(VdpaDeviceDma, EntryWithoutPermissionIsEperm) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000, kPermRO)).ok());
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x1000, 0xb000, kPermWO)).ok());
  std::vector<DmaSegment> segs;
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermWO, &segs), EPERM);  // write to RO
  EXPECT_EQ(dev.Dma(0, 0x2000, 0x10, kPermRO, &segs), EPERM);  // read of WO
  EXPECT_EQ(dev.Dma(0, 0x1ff0, 0x20, kPermRO, &segs), EPERM);  // second piece
  EXPECT_TRUE(segs.empty());
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0xa000, 0x10}}));
}

TEST(VdpaDeviceDma, WalksAdjacentEntriesAsSeparateSegments) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0x7f0000010000)).ok());
  // HVA-contiguous with the first: still not merged.
  ASSERT_TRUE(dev.Write(Update(0x2000, 0x2000, 0x7f0000011000)).ok());
  std::vector<DmaSegment> segs;
  ASSERT_EQ(dev.Dma(0, 0x1800, 0x1000, kPermWO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0x7f0000010800, 0x800},
                                           {0x7f0000011000, 0x800}}));
  ASSERT_EQ(dev.Dma(0, 0x2100, 0x10, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0x7f0000011100, 0x10}}));
}

TEST(VdpaDeviceDma, UsesDeviceTableNotVhostTable) {
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  ASSERT_TRUE(dev.Write(BatchBegin(0)).ok());
  ASSERT_TRUE(dev.Write(Update(0x1000, 0x1000, 0xa000)).ok());
  std::vector<DmaSegment> segs;
  // Until BATCH_END the parent still holds its default passthrough.
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0x1000, 0x10}}));
  ASSERT_TRUE(dev.Write(BatchEnd(0)).ok());
  EXPECT_EQ(dev.Dma(0, 0x1000, 0x10, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0xa000, 0x10}}));
}

TEST(VdpaDeviceDma, TopOfAddressSpaceDoesNotWrap) {
  VdpaDevice dev(Config());
  ASSERT_TRUE(dev.Write(Update(0, 0x1000, 0xa000)).ok());
  ASSERT_TRUE(dev.Write(Update(kMax - 0xfff, 0x1000, 0xb000)).ok());
  std::vector<DmaSegment> segs;
  ASSERT_EQ(dev.Dma(0, kMax - 0xf, 0x10, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0xb000 + 0xff0, 0x10}}));
  // One byte more would run past 2^64-1 into address 0: refused.
  EXPECT_EQ(dev.Dma(0, kMax - 0xf, 0x11, kPermRO, &segs), EINVAL);
  EXPECT_TRUE(segs.empty());
}

TEST(VdpaDeviceDma, WholeAddressSpaceEntry) {
  DeviceConfig c = Config();
  c.process_map = {ProcessArea{0x1000, kMax}};  // reaching (almost) the top
  VdpaDevice dev(c);
  ASSERT_TRUE(dev.Write(Update(0, kMax, 0x0)).ok());  // [0, 2^64-2]
  ASSERT_TRUE(dev.Write(Update(kMax, 1, 0x5000)).ok());
  std::vector<DmaSegment> segs;
  ASSERT_EQ(dev.Dma(0, 0, kMax, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{0, kMax}}));
  ASSERT_EQ(dev.Dma(0, kMax - 1, 2, kPermRO, &segs), 0);
  EXPECT_EQ(segs, (Segs{{kMax - 1, 1}, {0x5000, 1}}));
}

// --- Strings -----------------------------------------------------------------

TEST(IotlbMsgToString, FormatsEachType) {
  EXPECT_EQ(IotlbMsgToString(Update(0x1000, 0x2000, 0x7f0000000000)),
            "UPDATE v2 asid 0 iova [0x1000, 0x2fff] size 0x2000 uaddr 0x7f0000000000 perm RW");
  EXPECT_EQ(IotlbMsgToString(Invalidate(0x1000, 0x1000, 1)),
            "INVALIDATE v2 asid 1 iova [0x1000, 0x1fff] size 0x1000");
  EXPECT_EQ(IotlbMsgToString(Invalidate(0, 0)), "INVALIDATE v2 asid 0 iova 0x0 size 0x0");
  EXPECT_EQ(IotlbMsgToString(BatchBegin(0)), "BATCH_BEGIN v2 asid 0");
  EXPECT_EQ(IotlbMsgToString(BatchEnd(1)), "BATCH_END v2 asid 1");
  IotlbMsg v1 = Update(0x1000, 0x1000, 0xa000, kPermRO, 5);
  v1.version = kMsgV1;
  EXPECT_EQ(IotlbMsgToString(v1),
            "UPDATE v1 iova [0x1000, 0x1fff] size 0x1000 uaddr 0xa000 perm RO");
  EXPECT_EQ(IotlbMsgToString(Msg(9, 0x1000, 0x1000, 0xa000, 9)),
            "type 9 v2 asid 0 iova [0x1000, 0x1fff] size 0x1000 uaddr 0xa000 perm perm 0x9");
}

TEST(IotlbMsgToString, PermAndTypeNames) {
  EXPECT_EQ(PermToString(0), "none");
  EXPECT_EQ(PermToString(1), "RO");
  EXPECT_EQ(PermToString(2), "WO");
  EXPECT_EQ(PermToString(3), "RW");
  EXPECT_EQ(PermToString(7), "perm 0x7");
  EXPECT_EQ(IotlbTypeToString(kIotlbMiss), "MISS");
  EXPECT_EQ(IotlbTypeToString(kIotlbAccessFail), "ACCESS_FAIL");
  EXPECT_EQ(IotlbTypeToString(9), "type 9");
}

TEST(DeviceConfigToString, OneLineWithFeatureNames) {
  DeviceConfig c = Config(DeviceKind::kSetMap);
  c.iova_first = 0x1000;
  c.iova_last = 0xffffffffff;
  c.backend_features = kFeatDefault | (uint64_t{1} << kFeatureIotlbPersist);
  EXPECT_EQ(DeviceConfigToString(c),
            "iova [0x1000, 0xffffffffff] page 0x1000 features v2,batch,asid,persist "
            "kind set_map num_as 2");
  c.backend_features = 0;
  c.kind = DeviceKind::kDmaMap;
  c.num_as = 1;
  EXPECT_EQ(DeviceConfigToString(c),
            "iova [0x1000, 0xffffffffff] page 0x1000 features none kind dma_map num_as 1");
}

}  // namespace
}  // namespace iovacheck
