// QEMU 10.0's vIOMMU notifier checks a MAP's end against the device's IOVA
// range with int128_makes64(), which sign-extends: a guest IOVA at or above
// 2^63 turns negative and passes the check (docs/findings/qemu-10.0-viommu.md,
// class 5). QEMU as Debian ships it sends such a MAP to the device; the
// patched build (10.0-viommu-device-range.patch) reports it as out of range
// and sends nothing, like a MAP past the range below 2^63.
//
//   viommu_range_check_test --shipped=qemu-10.0.so --fixed=qemu-10.0-fixed.so
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "third_party/qemu/fake_vhost_device.h"

namespace {

using iovacheck_qemu_test::FakeDevice;
using iovacheck_qemu_test::LoadPlugin;

std::string g_shipped;
std::string g_fixed;

constexpr uint64_t kRangeLast = (uint64_t{1} << 48) - 1;  // a 48-bit device
constexpr uint64_t kHva = 0x7f0000200000;

// One plug-in instance behind a vIOMMU, over a device whose range ends at
// 2^48 - 1.
class ViommuDevice {
 public:
  explicit ViommuDevice(const std::string& path) {
    std::string error;
    p_ = LoadPlugin(path, &error);
    EXPECT_NE(p_, nullptr) << path << ": " << error;
    if (p_ == nullptr) return;
    iovacheck_device_config config{};
    config.iova_first = 0;
    config.iova_last = kRangeLast;
    config.host_page_size = 0x1000;
    config.target_page_size = 0x1000;
    config.backend_features = (1ULL << IOVACHECK_F_IOTLB_MSG_V2) |
                              (1ULL << IOVACHECK_F_IOTLB_BATCH) |
                              (1ULL << IOVACHECK_F_IOTLB_ASID);
    config.num_address_spaces = 2;
    config.device_kind = IOVACHECK_DEVICE_DMA_MAP;
    config.viommu = 1;
    iovacheck_host host = iovacheck_qemu_test::HostFor(&dev_);
    inst_ = p_->create(&config, &host);
    EXPECT_NE(inst_, nullptr);
  }
  ~ViommuDevice() {
    if (inst_ != nullptr) p_->destroy(inst_);
  }
  bool ok() const { return inst_ != nullptr; }
  int Map(uint64_t giova) { return p_->iommu_map(inst_, giova, 0x1000, kHva, VHOST_ACCESS_RW); }
  int Reset() { return p_->device_reset(inst_); }
  // UPDATEs sent at `iova` so far.
  int UpdatesAt(uint64_t iova) const {
    int n = 0;
    for (const auto& m : dev_.msgs) n += m.type == VHOST_IOTLB_UPDATE && m.iova == iova;
    return n;
  }
  bool Logged(const std::string& text) const { return dev_.Log().find(text) != std::string::npos; }
  FakeDevice& dev() { return dev_; }

 private:
  const iovacheck_plugin* p_ = nullptr;
  void* inst_ = nullptr;
  FakeDevice dev_;
};

constexpr uint64_t kPastRange = kRangeLast + 1;          // 2^48: below 2^63
constexpr uint64_t kPast2To63 = uint64_t{1} << 63;       // negative as int64_t
constexpr uint64_t kTopPage = ~uint64_t{0} - 0xfff;       // the last page of 2^64

TEST(ViommuRangeCheck, BothBuildsRefuseAMapPastTheRangeBelow2To63) {
  for (const std::string& path : {g_shipped, g_fixed}) {
    ViommuDevice d(path);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.Map(kPastRange), 0) << path;  // QEMU logs and goes on
    EXPECT_EQ(d.UpdatesAt(kPastRange), 0) << path << "\n" << d.dev().Log();
    EXPECT_TRUE(d.Logged("out of device range")) << path << "\n" << d.dev().Log();
  }
}

TEST(ViommuRangeCheck, ShippedQemuSendsAMapAtOrAbove2To63) {
  for (uint64_t giova : {kPast2To63, kTopPage}) {
    ViommuDevice d(g_shipped);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.Map(giova), 0);
    EXPECT_EQ(d.UpdatesAt(giova), 1) << std::hex << giova << "\n" << d.dev().Log();
    EXPECT_FALSE(d.Logged("out of device range")) << d.dev().Log();
  }
}

TEST(ViommuRangeCheck, FixedQemuRefusesAMapAtOrAbove2To63) {
  for (uint64_t giova : {kPast2To63, kTopPage}) {
    ViommuDevice d(g_fixed);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.Map(giova), 0);
    EXPECT_EQ(d.UpdatesAt(giova), 0) << std::hex << giova << "\n" << d.dev().Log();
    EXPECT_TRUE(d.Logged("out of device range")) << d.dev().Log();
  }
}

// The kernel refuses the escaped MAP (vhost_vdpa_process_iotlb_msg's range
// check, EFAULT at write()), and QEMU only logs it. At the next device start
// the replay sends it again and is refused again, which QEMU also only logs:
// the start itself succeeds (the glue must not call it a failed recovery).
TEST(ViommuRangeCheck, ShippedQemuReplaysTheRefusedMapAtReset) {
  ViommuDevice d(g_shipped);
  ASSERT_TRUE(d.ok());
  d.dev().fail_updates = -EFAULT;
  EXPECT_EQ(d.Map(kPast2To63), EFAULT);
  d.dev().msgs.clear();
  EXPECT_EQ(d.Reset(), 0) << d.dev().Log();
  EXPECT_EQ(d.UpdatesAt(kPast2To63), 1) << d.dev().Log();
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    if (arg.rfind("--shipped=", 0) == 0) g_shipped = arg.substr(10);
    if (arg.rfind("--fixed=", 0) == 0) g_fixed = arg.substr(8);
  }
  if (g_shipped.empty() || g_fixed.empty()) {
    fprintf(stderr, "usage: %s --shipped=PATH --fixed=PATH\n", argv[0]);
    return 2;
  }
  return RUN_ALL_TESTS();
}
