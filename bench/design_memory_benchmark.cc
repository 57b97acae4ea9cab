// Heap bytes per live mapping of each translator design (README "The
// designs the seeds argued about"): the translator alone, its IOTLB messages
// accepted and dropped by a channel that keeps nothing, at 1k, 10k and 100k
// live sections (one page each, as in scale_benchmark). Bytes are counted by
// bench/counting_allocator.h.
//
//   bazel run -c opt //bench:design_memory_benchmark
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>

#include "bench/counting_allocator.h"
#include "model/host_arena_layout.h"
#include "translator/decoupled_translator.h"
#include "translator/legacy_translator.h"
#include "translator/translator.h"

namespace iovacheck {
namespace {

// Every message accepted, nothing kept: only the translator's own memory
// is counted.
class AcceptingChannel : public IotlbChannel {
 public:
  WriteResult Write(const IotlbMsg&) override { return {}; }
};

using Maker = std::unique_ptr<Translator> (*)(const DeviceConfig&, IotlbChannel*);

void BytesPerMapping(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  DeviceConfig config;
  config.max_iotlb_entries = 4000000;
  AcceptingChannel channel;
  double per_mapping = 0;
  for (auto _ : state) {
    std::unique_ptr<Translator> t = make(config, &channel);
    const int64_t empty = LiveHeapBytes();
    t->ListenerBegin();
    for (int64_t i = 0; i < n; ++i) {
      GuestSection s{static_cast<uint64_t>(2 * i) * 0x1000, 0x1000,
                     0x7f0000000000 + static_cast<uint64_t>(i) * 0x1000, false, true};
      if (t->RegionAdd(s) != 0) {
        state.SkipWithError("the translator refused a section");
        return;
      }
    }
    t->ListenerCommit();
    per_mapping = static_cast<double>(LiveHeapBytes() - empty) / static_cast<double>(n);
  }
  state.counters["bytes_per_mapping"] = per_mapping;
}

void BM_DecoupledBytes(benchmark::State& state) {
  BytesPerMapping(state, &DecoupledTranslator::Create);
}
void BM_LegacyBytes(benchmark::State& state) { BytesPerMapping(state, &LegacyTranslator::Create); }
void BM_AliasIdBytes(benchmark::State& state) {
  BytesPerMapping(state, &LegacyTranslator::CreateAliasId);
}

void BM_SvqWindowBytes(benchmark::State& state) {
  BytesPerMapping(state, &DecoupledTranslator::CreateSvqWindow);
}

// Host buffers (one page each, in the first arena slots, address space 0):
// where decoupled and svq-window differ. The window's page table is made
// whole on the first buffer of an address space, so its bytes per buffer
// fall as buffers are added; the tree's stay flat.
void HostBytesPerBuffer(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  AcceptingChannel channel;
  double per_buffer = 0;
  for (auto _ : state) {
    std::unique_ptr<Translator> t = make(DeviceConfig{}, &channel);
    const int64_t empty = LiveHeapBytes();
    for (int64_t k = 0; k < n; ++k) {
      const uint64_t hva = kHostArenaBase + static_cast<uint64_t>(k) * kHostArenaSlotPages * 0x1000;
      if (t->MapHostBuffer(hva, 0x1000, kPermRW, 0) != 0) {
        state.SkipWithError("the translator refused a host buffer");
        return;
      }
    }
    per_buffer = static_cast<double>(LiveHeapBytes() - empty) / static_cast<double>(n);
  }
  state.counters["bytes_per_buffer"] = per_buffer;
}

void BM_DecoupledHostBytes(benchmark::State& state) {
  HostBytesPerBuffer(state, &DecoupledTranslator::Create);
}
void BM_SvqWindowHostBytes(benchmark::State& state) {
  HostBytesPerBuffer(state, &DecoupledTranslator::CreateSvqWindow);
}

BENCHMARK(BM_DecoupledBytes)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(1);
// The single tree's first fit and lookups walk the tree: 100k is minutes.
BENCHMARK(BM_LegacyBytes)->Arg(1000)->Arg(10000)->Iterations(1);
BENCHMARK(BM_AliasIdBytes)->Arg(1000)->Arg(10000)->Iterations(1);
BENCHMARK(BM_SvqWindowBytes)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(1);
BENCHMARK(BM_DecoupledHostBytes)->Arg(8)->Arg(32)->Arg(120)->Iterations(1);
BENCHMARK(BM_SvqWindowHostBytes)->Arg(8)->Arg(32)->Arg(120)->Iterations(1);

}  // namespace
}  // namespace iovacheck

BENCHMARK_MAIN();
