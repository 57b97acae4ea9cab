// Seed 003's choice measured: the vendor driver's tracker as a tree of
// ranges or a flat array per region, pinning every page of a region when it
// is mapped or each page at its first use, at 1 GiB and 64 GiB of
// registered guest memory (regions of 1 GiB, as QEMU maps RAM in a few
// large sections). Reports per configuration:
//   bytes_per_tracked_page  the tracker's own heap per page it tracks (its
//                           heap less that of type1's pin list for the
//                           same pins, measured alone; counting allocator)
//   ns per iteration        one Lookup of a random tracked address
// Pin-sparse tracks 65,536 pages the device touched at random.
//
//   bazel run -c opt //bench:mdev_tracker_benchmark
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "bench/counting_allocator.h"
#include "mdev/array_tracker.h"
#include "mdev/tree_tracker.h"
#include "model/vfio_type1.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kVaddrBase = 0x7f0000000000;
constexpr int kSparsePages = 65536;

void MapRegions(VfioType1Container& c, uint64_t gib) {
  for (uint64_t g = 0; g < gib; ++g) {
    (void)c.MapDma(g * kGiB, kGiB, kVaddrBase + g * kGiB, kVfioDmaRead | kVfioDmaWrite);
  }
}

// The pages pin-sparse touches: distinct, random, seeded.
std::vector<uint64_t> SparsePages(uint64_t gib) {
  SplitMix64 rng(20261203);
  std::set<uint64_t> pages;
  while (pages.size() < static_cast<size_t>(kSparsePages)) {
    pages.insert(rng.Below(gib * kGiB / kPage) * kPage);
  }
  return {pages.begin(), pages.end()};
}

// args: structure (0 tree, 1 array), policy (0 pin-all, 1 pin-sparse), GiB.
void BM_TrackerLookup(benchmark::State& state) {
  const bool array = state.range(0) == 1;
  const PinPolicy policy = state.range(1) == 0 ? PinPolicy::kPinAll : PinPolicy::kPinSparse;
  const uint64_t gib = static_cast<uint64_t>(state.range(2));
  const std::vector<uint64_t> sparse =
      policy == PinPolicy::kPinSparse ? SparsePages(gib) : std::vector<uint64_t>{};

  // type1's pin list alone, for the same pins.
  int64_t control = 0;
  {
    VfioType1Container c;
    c.RegisterDevice([](uint64_t, uint64_t) {});
    MapRegions(c, gib);
    const int64_t before = LiveHeapBytes();
    if (policy == PinPolicy::kPinAll) {
      for (uint64_t g = 0; g < gib; ++g) {
        (void)c.PinPages(g * kGiB, static_cast<int>(kGiB / kPage), kVfioDmaRead | kVfioDmaWrite);
      }
    } else {
      for (uint64_t page : sparse) (void)c.PinPages(page, 1, kVfioDmaRead | kVfioDmaWrite);
    }
    control = LiveHeapBytes() - before;
  }

  VfioType1Container c;
  std::unique_ptr<MdevTracker> tracker;
  if (array) {
    tracker = std::make_unique<ArrayTracker>(&c, policy);
  } else {
    tracker = std::make_unique<TreeTracker>(&c, policy);
  }
  MdevTracker* t = tracker.get();
  c.RegisterDevice([t](uint64_t iova, uint64_t size) { t->DmaUnmap(iova, size); });
  MapRegions(c, gib);
  const int64_t before = LiveHeapBytes();
  for (uint64_t g = 0; g < gib; ++g) {
    if (t->RegionMapped(g * kGiB, kGiB) != 0) {
      state.SkipWithError("RegionMapped failed");
      return;
    }
  }
  uint64_t vaddr = 0;
  for (uint64_t page : sparse) {
    if (t->Acquire(page, kVfioDmaRead, &vaddr) != 0) {
      state.SkipWithError("Acquire failed");
      return;
    }
  }
  const int64_t with_tracker = LiveHeapBytes() - before;
  const uint64_t tracked = policy == PinPolicy::kPinAll ? gib * kGiB / kPage : sparse.size();

  SplitMix64 rng(1);
  for (auto _ : state) {
    const uint64_t gpa = policy == PinPolicy::kPinAll
                             ? rng.Below(gib * kGiB)
                             : sparse[rng.Below(sparse.size())] + rng.Below(kPage);
    benchmark::DoNotOptimize(t->Lookup(gpa));
  }
  state.counters["tracked_pages"] = static_cast<double>(tracked);
  state.counters["bytes_per_tracked_page"] =
      static_cast<double>(with_tracker - control) / static_cast<double>(tracked);
}

BENCHMARK(BM_TrackerLookup)
    ->ArgNames({"array", "sparse", "GiB"})
    ->ArgsProduct({{0, 1}, {0, 1}, {1, 64}});

}  // namespace
}  // namespace iovacheck

BENCHMARK_MAIN();
