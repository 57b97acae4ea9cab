#include "translator/svq_window.h"

#include <cerrno>

#include "gtest/gtest.h"
#include "model/host_arena_layout.h"
#include "translator/decoupled_translator.h"
#include "translator/recording_channel.h"
#include "translator/translator_test_util.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kArenaBytes = HostArenaBytes(kPage);  // 8 MiB
constexpr uint64_t kWindow = 0 - kArenaBytes;           // the top 8 MiB of 2^64

DeviceConfig NoBatch() { return ConfigWith(/*v2=*/true, /*batch=*/false); }

TEST(SvqWindow, HostBufferIovaIsWindowPlusArenaOffsetOneEntryEach) {
  RecordingChannel ch;
  auto t = DecoupledTranslator::CreateSvqWindow(NoBatch(), &ch);
  const uint64_t driver = kHostArenaBase + 5 * 16 * kPage;  // slot 5
  const uint64_t device = kHostArenaBase + 127 * 16 * kPage;  // the last slot
  ASSERT_EQ(t->MapHostBuffer(driver, 0x1206, kPermRO, 0), 0);
  ASSERT_EQ(t->MapHostBuffer(device, 0x806, kPermRW, 0), 0);
  // Each buffer its own entry, page-rounded, with its own permission: the
  // window is not one writable mapping of the whole arena.
  ASSERT_EQ(ch.messages.size(), 2u);
  EXPECT_EQ(ch.messages[0], Update(0, kWindow + 5 * 16 * kPage, 0x2000, driver, kPermRO));
  EXPECT_EQ(ch.messages[1], Update(0, kWindow + 127 * 16 * kPage, 0x1000, device, kPermRW));

  std::vector<uint64_t> iovas;
  ASSERT_EQ(t->TranslateBuffer({HostIovec(driver + 0x10, 0x100), HostIovec(device, 0x806)},
                               &iovas),
            0);
  EXPECT_EQ(iovas, (std::vector<uint64_t>{kWindow + 5 * 16 * kPage + 0x10,
                                          kWindow + 127 * 16 * kPage}));
  // Past the page-rounded end of the driver area: another buffer's space.
  EXPECT_EQ(t->TranslateBuffer({HostIovec(driver + 0x1f00, 0x200)}, &iovas), EFAULT);
  EXPECT_EQ(AllocationPairs(*t), (std::vector<std::pair<uint64_t, uint64_t>>{
                                     {kWindow + 5 * 16 * kPage, 0x2000},
                                     {kWindow + 127 * 16 * kPage, 0x1000}}));

  // Unmapped by any address inside it, it is gone from the device, the
  // allocations and the datapath.
  ASSERT_EQ(t->UnmapHostBuffer(driver + kPage, 0x1206, 0), 0);
  EXPECT_EQ(ch.messages.back(), Invalidate(0, kWindow + 5 * 16 * kPage, 0x2000));
  EXPECT_EQ(t->TranslateBuffer({HostIovec(driver, 0x10)}, &iovas), EFAULT);
  EXPECT_EQ(AllocationPairs(*t), (std::vector<std::pair<uint64_t, uint64_t>>{
                                     {kWindow + 127 * 16 * kPage, 0x1000}}));
}

TEST(SvqWindow, GuestMemoryIsLaidOutBelowTheWindowAsDecoupledLaysItOut) {
  RecordingChannel window_ch, decoupled_ch;
  auto window = DecoupledTranslator::CreateSvqWindow(NoBatch(), &window_ch);
  auto decoupled = DecoupledTranslator::Create(NoBatch(), &decoupled_ch);
  for (Translator* t : {window.get(), decoupled.get()}) {
    ASSERT_EQ(t->RegionAdd(LowRam()), 0);
    ASSERT_EQ(t->RegionAdd(SmramAlias()), 0);
  }
  EXPECT_EQ(window_ch.messages, decoupled_ch.messages);
  EXPECT_EQ(AllocationPairs(*window), AllocationPairs(*decoupled));
}

TEST(SvqWindow, OneBufferPerHvaInEachAddressSpaceTheSameIovaInBoth) {
  RecordingChannel ch;
  auto t = DecoupledTranslator::CreateSvqWindow(NoBatch(), &ch);
  ASSERT_EQ(t->MapHostBuffer(kHostArenaBase, 2 * kPage, kPermRW, 1), 0);
  EXPECT_EQ(t->MapHostBuffer(kHostArenaBase + kPage, kPage, kPermRO, 1), EEXIST);
  ASSERT_EQ(t->MapHostBuffer(kHostArenaBase + kPage, kPage, kPermRO, 0), 0);
  EXPECT_EQ(ch.messages.size(), 2u);
  EXPECT_EQ(ch.messages[1], Update(0, kWindow + kPage, kPage, kHostArenaBase + kPage, kPermRO));
  // Not page aligned: not a buffer of the arena.
  EXPECT_EQ(t->MapHostBuffer(kHostArenaBase + 16 * kPage + 8, kPage, kPermRO, 0), EINVAL);
}

TEST(SvqWindow, WindowTooSmallRefusesWithEnomemAndKeepsNothing) {
  // A window that covers only the arena's first two slots.
  const SvqWindowLayout layout{kHostArenaBase, 32 * kPage};
  RecordingChannel ch;
  IotlbSender sender(NoBatch(), &ch);
  const uint64_t top = 0x10000000;
  DeviceConfig config = NoBatch();
  config.iova_last = top - 1;
  const std::optional<uint64_t> iova = PlaceSvqWindow(config, layout.bytes);
  ASSERT_EQ(iova, top - 32 * kPage);
  SvqWindow window(config, layout, iova, &sender);
  std::vector<AllocationChange> journal;
  window.JournalTo(&journal);

  ASSERT_EQ(window.Map(kHostArenaBase + 16 * kPage, 3 * kPage, kPermRW, 0), 0);
  const size_t sent = ch.messages.size();
  // Starts inside the window, ends past it; and wholly past it.
  EXPECT_EQ(window.Map(kHostArenaBase + 30 * kPage, 3 * kPage, kPermRW, 0), ENOMEM);
  EXPECT_EQ(window.Map(kHostArenaBase + 64 * kPage, kPage, kPermRW, 0), ENOMEM);
  // Nothing reached the device, nothing is held or journaled for them, and
  // nothing of them translates or needs undoing.
  EXPECT_EQ(ch.messages.size(), sent);
  EXPECT_EQ(journal.size(), 1u);
  std::vector<IovaAllocation> held;
  window.AppendAllocations(&held);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].iova, *iova + 16 * kPage);
  uint64_t out = 0;
  EXPECT_EQ(window.Translate(kHostArenaBase + 30 * kPage, kHostArenaBase + 30 * kPage, &out),
            EFAULT);
  EXPECT_EQ(window.Unmap(kHostArenaBase + 64 * kPage, kPage, 0), 0);
  EXPECT_EQ(ch.messages.size(), sent);
  // The buffer that fits is untouched.
  ASSERT_EQ(window.Translate(kHostArenaBase + 17 * kPage, kHostArenaBase + 17 * kPage + 7, &out),
            0);
  EXPECT_EQ(out, *iova + 17 * kPage);
  std::vector<LiveMapping> live;
  window.AppendLive(&live);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].size, 3 * kPage);
}

TEST(SvqWindow, RangeTooSmallForTheWindowLeavesItAllToGuestMemory) {
  DeviceConfig config = NoBatch();
  config.iova_last = 64 * kPage - 1;  // 256 KiB: not the 8 MiB window
  EXPECT_EQ(PlaceSvqWindow(config, kArenaBytes), std::nullopt);
  RecordingChannel ch;
  auto t = DecoupledTranslator::CreateSvqWindow(config, &ch);
  EXPECT_EQ(t->MapHostBuffer(kHostArenaBase, kPage, kPermRW, 0), ENOMEM);
  EXPECT_TRUE(ch.messages.empty());
  // Guest memory gets the whole range, from the allocatable floor.
  ASSERT_EQ(t->RegionAdd(Section(0, 63 * kPage, 0x7f0000000000)), 0);
  EXPECT_EQ(AllocationPairs(*t),
            (std::vector<std::pair<uint64_t, uint64_t>>{{kPage, 63 * kPage}}));
}

// The window takes the top `bytes` of the range, its start rounded down to
// a page, as long as it starts above the allocatable floor. A device range
// need not start on a page: with the floor one byte below a page boundary
// and exactly `bytes` above it, the window starts on that boundary; one
// byte less of range and it does not fit.
TEST(SvqWindow, PlacedAtTheTopWhileItStartsAboveTheFloor) {
  DeviceConfig config = NoBatch();
  const uint64_t bytes = 4 * kPage;
  config.iova_first = 2 * kPage - 1;  // the floor
  config.iova_last = config.iova_first + bytes;
  EXPECT_EQ(PlaceSvqWindow(config, bytes), std::optional<uint64_t>(2 * kPage));
  config.iova_last -= 1;
  EXPECT_EQ(PlaceSvqWindow(config, bytes), std::nullopt);
}

TEST(SvqWindow, SizedTheWayQemuWouldHaveToForTheDevice) {
  // One queue pair of 256 and the CVQ: 3 virtqueues of a 2-page driver
  // area (16*256 + 6 + 2*256 = 4614 bytes) and a 1-page device area
  // (6 + 8*256 = 2054), and the CVQ's two buffer pages.
  EXPECT_EQ(SvqWindowBytesFor(1, 256, kPage), (3 * 3 + 2) * kPage);
  // 8 pairs of 1024: 17 virtqueues of 5 + 3 pages.
  EXPECT_EQ(SvqWindowBytesFor(8, 1024, kPage), (17 * 8 + 2) * kPage);
  // QEMU's worst case: 0x8000 pairs (virtio-net's limit) of 1024 entries,
  // over 2 GiB of IOVA reserved whether the guest uses them or not.
  EXPECT_GT(SvqWindowBytesFor(0x8000, 1024, kPage), uint64_t{2} << 30);
}

}  // namespace
}  // namespace iovacheck
