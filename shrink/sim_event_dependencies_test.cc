// The simulator's event kinds in the shrinker's dependency closure: shadow
// data switches own their segment, IOMMU maps go with the RAM behind them,
// an unmap that keeps maps alive drags what their longer life conflicts
// with. Every closed removal stays well formed (judged by the model).
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "model/iotlb_msg.h"
#include "shrink/trace_dependencies.h"
#include "shrink/well_formed.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 4096;

Section Ram(uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

StepPool PoolOf(const std::vector<Event>& events) {
  StepPool pool;
  for (const Event& e : events) pool.push_back(SynthesizedStep(e));
  return pool;
}

size_t UnitAt(const TraceDependencies& deps, size_t position) {
  std::optional<size_t> u = deps.UnitAt(position);
  EXPECT_TRUE(u.has_value()) << "no unit at " << position;
  return u.value_or(0);
}

const Section kRam = Ram(0x100000, 0x10000, 0x7f0000100000);

// Shadow data off around a section's life, then on again for an asid-0
// host buffer (refused without shadow data).
enum : size_t {
  kOff, kBegin1, kAdd, kCommit1, kDma, kBegin2, kDel, kCommit2,
  kOn, kMap, kUnmap, kShadowEvents
};

StepPool ShadowPool() {
  const HostBuffer buffer{0x7e0000000000, 0x1000, kPermRW, 0, "ring"};
  return PoolOf({
      ShadowDataEvent{false}, ListenerBeginEvent{}, RegionAddEvent{kRam},
      ListenerCommitEvent{}, DeviceDmaEvent{0, kRam.gpa, 0x10, false},
      ListenerBeginEvent{}, RegionDelEvent{kRam}, ListenerCommitEvent{},
      ShadowDataEvent{true}, HostMapEvent{buffer},
      HostUnmapEvent{buffer.hva, buffer.size, buffer.asid},
  });
}

TEST(SimEventDependencies, AShadowSwitchGoesWithItsSegment) {
  const StepPool pool = ShadowPool();
  ASSERT_EQ(pool.size(), kShadowEvents);
  ASSERT_TRUE(CheckWellFormed(DeviceConfig{}, pool, Identity(pool.size())).ok());
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);

  StepOrder got = deps.Without({UnitAt(deps, kOff)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kOn, kMap, kUnmap}));
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());

  got = deps.Without({UnitAt(deps, kOn)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kOff, kBegin1, kAdd, kCommit1, kDma, kBegin2, kDel, kCommit2}));
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());

  // Alone, the switch on goes only if its segment is valid without it: an
  // asid-0 host buffer is not, without shadow data.
  const absl::Status s =
      CheckWellFormed(DeviceConfig{}, pool, deps.Without({UnitAt(deps, kOn)}, false));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "(host_map)")) << s;
  // The switch off alone: shadow data stays on, which this segment allows.
  EXPECT_TRUE(
      CheckWellFormed(DeviceConfig{}, pool, deps.Without({UnitAt(deps, kOff)}, false)).ok());
}

TEST(SimEventDependencies, ADelRemovedAloneTakesEveryLaterSwitch) {
  const StepPool pool = ShadowPool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  // The section lives on, so the model would refuse the switch on.
  const StepOrder got = deps.Without({UnitAt(deps, kDel)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kOff, kBegin1, kAdd, kCommit1, kDma}));
  EXPECT_TRUE(CheckWellFormed(DeviceConfig{}, pool, got).ok());
  const absl::Status s =
      CheckWellFormed(DeviceConfig{}, pool, deps.Without({UnitAt(deps, kDel)}, false));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "(shadow_data)")) << s;
}

// A vIOMMU run: RAM, maps into it (one replayed), unmaps of exactly one
// entry and of a wide range, a map reusing a freed guest IOVA, the RAM gone.
enum : size_t {
  kIBegin1, kIAdd, kICommit1,
  kM1, kM1Replay, kM2, kU1Exact, kU2Wide, kM3, kU3Exact,
  kIBegin2, kIDel, kICommit2, kIommuEvents
};

DeviceConfig Viommu() {
  DeviceConfig c;
  c.viommu = true;
  return c;
}

StepPool IommuPool() {
  const IommuMapEvent m1{0x1000, kRam.gpa, 0x2000, kPermRW};
  return PoolOf({
      ListenerBeginEvent{}, RegionAddEvent{kRam}, ListenerCommitEvent{},
      m1, m1, IommuMapEvent{0x8000, kRam.gpa + 0x4000, 0x1000, kPermRO},
      IommuUnmapEvent{0x1000, 0x2fff}, IommuUnmapEvent{0, 0xffff},
      IommuMapEvent{0x1000, kRam.gpa, 0x1000, kPermRW}, IommuUnmapEvent{0x1000, 0x1fff},
      ListenerBeginEvent{}, RegionDelEvent{kRam}, ListenerCommitEvent{},
  });
}

TEST(SimEventDependencies, IommuMapsGoWithTheirRamAndExactUnmaps) {
  const StepPool pool = IommuPool();
  ASSERT_EQ(pool.size(), kIommuEvents);
  ASSERT_TRUE(CheckWellFormed(Viommu(), pool, Identity(pool.size())).ok());
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  EXPECT_EQ(deps.Partner(kM1), kU1Exact);
  EXPECT_EQ(deps.Partner(kM3), kU3Exact);
  EXPECT_FALSE(deps.Partner(kM2).has_value());  // its unmap is wider

  // The RAM: every map into it, their exact unmaps, its del.
  StepOrder got = deps.Without({UnitAt(deps, kIAdd)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kU2Wide}));
  EXPECT_TRUE(CheckWellFormed(Viommu(), pool, got).ok());

  // An unmap that removes nothing now is harmless: M2 goes alone.
  got = deps.Without({UnitAt(deps, kM2)}, /*close=*/true);
  EXPECT_EQ(std::count(got.begin(), got.end(), kU2Wide), 1);
  EXPECT_EQ(got.size(), kIommuEvents - 1);
  EXPECT_TRUE(CheckWellFormed(Viommu(), pool, got).ok());
}

TEST(SimEventDependencies, AnUnmapRemovedAloneDragsWhatItsMapsNowBlock) {
  const StepPool pool = IommuPool();
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  // M1 lives on past U1: the map reusing its guest IOVA (with its unmap)
  // and the RAM's del go; the wide unmap then removes M1 as well.
  StepOrder got = deps.Without({UnitAt(deps, kU1Exact)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kIBegin1, kIAdd, kICommit1, kM1, kM1Replay, kM2, kU2Wide}));
  EXPECT_TRUE(CheckWellFormed(Viommu(), pool, got).ok());
  // Without the wide unmap, M2 outlives it and its RAM must stay.
  got = deps.Without({UnitAt(deps, kU2Wide)}, /*close=*/true);
  EXPECT_EQ(got, (StepOrder{kIBegin1, kIAdd, kICommit1, kM1, kM1Replay, kM2, kU1Exact, kM3,
                            kU3Exact}));
  EXPECT_TRUE(CheckWellFormed(Viommu(), pool, got).ok());
  // Alone, the model says why not.
  const absl::Status s =
      CheckWellFormed(Viommu(), pool, deps.Without({UnitAt(deps, kU2Wide)}, false));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "(region_del)")) << s;
}

// Every set of up to three units, removed with its dependents, is well
// formed: the closure misses nothing the model checks.
void ExpectEveryClosedRemovalWellFormed(const DeviceConfig& config, const StepPool& pool) {
  const TraceDependencies deps(pool, Identity(pool.size()), kPage);
  const size_t n = deps.unit_count();
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a; b < n; ++b) {
      for (size_t c = b; c < n; ++c) {
        const StepOrder got = deps.Without({a, b, c}, /*close=*/true);
        const absl::Status s = CheckWellFormed(config, pool, got);
        ASSERT_TRUE(s.ok()) << "units " << a << "," << b << "," << c << ": " << s;
      }
    }
  }
}

TEST(SimEventDependencies, ClosedRemovalsStayWellFormed) {
  ExpectEveryClosedRemovalWellFormed(DeviceConfig{}, ShadowPool());
  ExpectEveryClosedRemovalWellFormed(Viommu(), IommuPool());
}

}  // namespace
}  // namespace iovacheck
