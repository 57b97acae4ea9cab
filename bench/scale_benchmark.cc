// Cost per operation as the number of live sections grows: decoupled with
// the emulated device behind it (region_add + region_del of one more
// section, translate of a buffer in a live one), the reference model alone,
// and the whole checked step (harness: translator, device, model, oracle).
// After the runs, t(N) / t(100) for each is printed: an O(log n) operation
// keeps it small (issue [7]'s target: <= 8 at 1M); an O(n) one grows ~N/100.
//
//   bazel run -c opt //bench:scale_benchmark
//   bazel run -c opt //bench:scale_benchmark -- --benchmark_filter=Translator
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/host_arena_layout.h"
#include "model/reference_model.h"
#include "model/vdpa_device.h"
#include "sim/harness.h"
#include "sim/prng.h"
#include "translator/decoupled_translator.h"
#include "translator/legacy_translator.h"
#include "translator/plugin/c_table_translator.h"
#include "translator/plugin/plugin_library.h"
#include "translator/device_channel.h"
#include "translator/registry.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kHvaBase = 0x7f0000000000;

DeviceConfig BenchConfig() {
  DeviceConfig c;
  // vhost-vdpa's module parameter raised, as a host with this many live
  // mappings must (the default 2048 refuses the next UPDATE).
  c.max_iotlb_entries = 4000000;
  return c;
}

// Live section i: one page at GPA 2i pages (not adjacent, so never merged),
// HVA i pages.
Section SectionAt(uint64_t i) {
  Section s;
  s.gpa = 2 * i * kPage;
  s.size = kPage;
  s.hva = kHvaBase + i * kPage;
  s.name = "ram";
  return s;
}

GuestSection Guest(const Section& s) { return GuestSection{s.gpa, s.size, s.hva, false, true}; }

// The baseline: QEMU 10.0's own code (the qemu-10.0 plug-in: hw/virtio's
// vhost_iova_tree over util/iova-tree.c's GTree from Debian's GLib, with its
// linear find and allocation walks), loaded in this process, no isolation.
std::unique_ptr<Translator> MakeQemu(const DeviceConfig& config, IotlbChannel* channel) {
  static const iovacheck_plugin* plugin = [] {
    absl::StatusOr<std::string> path = FindRunfile("third_party/qemu/qemu-10.0.so");
    if (!path.ok()) return static_cast<const iovacheck_plugin*>(nullptr);
    absl::StatusOr<const iovacheck_plugin*> p = LoadPlugin(*path);
    return p.ok() ? *p : nullptr;
  }();
  if (plugin == nullptr) return nullptr;
  return CTableTranslator::Create(plugin, config, channel, [](const std::string&) {});
}

std::unique_ptr<Translator> MakeDecoupled(const DeviceConfig& config, IotlbChannel* channel) {
  return DecoupledTranslator::Create(config, channel);
}

using Maker = std::unique_ptr<Translator> (*)(const DeviceConfig&, IotlbChannel*);

struct TranslatorAndDevice {
  TranslatorAndDevice(int64_t n, Maker make = MakeDecoupled)
      : device(BenchConfig()), channel(&device), translator(make(BenchConfig(), &channel)) {
    if (translator == nullptr) {
      failures = 1;
      return;
    }
    translator->ListenerBegin();
    for (int64_t i = 0; i < n; ++i) failures += translator->RegionAdd(Guest(SectionAt(i))) != 0;
    translator->ListenerCommit();
  }
  int failures = 0;
  VdpaDevice device;
  DeviceChannel channel;
  std::unique_ptr<Translator> translator;
};

// A measurement of failures would measure the wrong path.
bool Failed(benchmark::State& state, int failures) {
  if (failures == 0) return false;
  state.SkipWithError("the translator refused a section");
  return true;
}

std::map<std::string, std::map<int64_t, double>>& NsPerOp() {
  static auto* results = new std::map<std::string, std::map<int64_t, double>>;
  return *results;
}

void AddDel(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  TranslatorAndDevice td(n, make);
  if (Failed(state, td.failures)) return;
  uint64_t next = static_cast<uint64_t>(n);
  int failures = 0;
  for (auto _ : state) {
    const GuestSection s = Guest(SectionAt(next++));
    td.translator->ListenerBegin();
    failures += td.translator->RegionAdd(s) != 0;
    td.translator->ListenerCommit();
    td.translator->ListenerBegin();
    failures += td.translator->RegionDel(s) != 0;
    td.translator->ListenerCommit();
  }
  Failed(state, failures);
}

void Translate(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  TranslatorAndDevice td(n, make);
  if (Failed(state, td.failures)) return;
  SplitMix64 rng(20261202);
  std::vector<Iovec> one(1);
  std::vector<uint64_t> iovas;
  for (auto _ : state) {
    const Section s = SectionAt(rng.Next() % static_cast<uint64_t>(n));
    one[0] = Iovec{s.gpa + 0x10, s.hva + 0x10, 0x100, true, false};
    benchmark::DoNotOptimize(td.translator->TranslateBuffer(one, &iovas));
  }
}

void BM_TranslatorAddDel(benchmark::State& state) { AddDel(state, MakeDecoupled); }
void BM_TranslatorTranslate(benchmark::State& state) { Translate(state, MakeDecoupled); }
void BM_QemuAddDel(benchmark::State& state) { AddDel(state, MakeQemu); }
void BM_QemuTranslate(benchmark::State& state) { Translate(state, MakeQemu); }

// The designs seed 004 argued about (README "The designs the seeds argued
// about"): the single tree, with and without the section id. Both scan the
// tree in IOVA order on every lookup by HVA.
std::unique_ptr<Translator> MakeLegacy(const DeviceConfig& config, IotlbChannel* channel) {
  return LegacyTranslator::Create(config, channel);
}
std::unique_ptr<Translator> MakeAliasId(const DeviceConfig& config, IotlbChannel* channel) {
  return LegacyTranslator::CreateAliasId(config, channel);
}
void BM_LegacyAddDel(benchmark::State& state) { AddDel(state, MakeLegacy); }
void BM_LegacyTranslate(benchmark::State& state) { Translate(state, MakeLegacy); }
void BM_AliasIdAddDel(benchmark::State& state) { AddDel(state, MakeAliasId); }
void BM_AliasIdTranslate(benchmark::State& state) { Translate(state, MakeAliasId); }

// svq-window: decoupled's guest side, host buffers in a linear window. Its
// guest costs should match decoupled's; where it differs is host memory,
// measured below against decoupled's HVA -> IOVA tree.
std::unique_ptr<Translator> MakeSvqWindow(const DeviceConfig& config, IotlbChannel* channel) {
  return DecoupledTranslator::CreateSvqWindow(config, channel);
}
void BM_SvqWindowAddDel(benchmark::State& state) { AddDel(state, MakeSvqWindow); }
void BM_SvqWindowTranslate(benchmark::State& state) { Translate(state, MakeSvqWindow); }

// Host buffer k: the first page of arena slot k (model/host_arena_layout.h).
uint64_t HostBufferAt(uint64_t k) { return kHostArenaBase + k * kHostArenaSlotPages * kPage; }

// With 10,000 live sections and N live host buffers (vrings: SVQ shadows at
// most a few dozen), a buffer of N-th+1 slot mapped and unmapped, or a
// host buffer translated.
constexpr int64_t kGuestSectionsBesideHost = 10000;

struct WithHostBuffers : TranslatorAndDevice {
  WithHostBuffers(int64_t buffers, Maker make) : TranslatorAndDevice(kGuestSectionsBesideHost, make) {
    for (int64_t k = 0; translator != nullptr && k < buffers; ++k) {
      failures += translator->MapHostBuffer(HostBufferAt(static_cast<uint64_t>(k)), kPage,
                                            kPermRW, 0) != 0;
    }
  }
};

void HostMapUnmap(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  WithHostBuffers td(n, make);
  if (Failed(state, td.failures)) return;
  const uint64_t hva = HostBufferAt(static_cast<uint64_t>(n));
  int failures = 0;
  for (auto _ : state) {
    failures += td.translator->MapHostBuffer(hva, kPage, kPermRW, 0) != 0;
    failures += td.translator->UnmapHostBuffer(hva, kPage, 0) != 0;
  }
  Failed(state, failures);
}

void HostTranslate(benchmark::State& state, Maker make) {
  const int64_t n = state.range(0);
  WithHostBuffers td(n, make);
  if (Failed(state, td.failures)) return;
  SplitMix64 rng(20261203);
  std::vector<Iovec> one(1);
  std::vector<uint64_t> iovas;
  for (auto _ : state) {
    one[0] = Iovec{0, HostBufferAt(rng.Next() % static_cast<uint64_t>(n)) + 0x10, 0x100, false,
                   false};
    benchmark::DoNotOptimize(td.translator->TranslateBuffer(one, &iovas));
  }
}

void BM_DecoupledHostMapUnmap(benchmark::State& state) { HostMapUnmap(state, MakeDecoupled); }
void BM_DecoupledHostTranslate(benchmark::State& state) { HostTranslate(state, MakeDecoupled); }
void BM_SvqWindowHostMapUnmap(benchmark::State& state) { HostMapUnmap(state, MakeSvqWindow); }
void BM_SvqWindowHostTranslate(benchmark::State& state) { HostTranslate(state, MakeSvqWindow); }

void BM_ModelAddDel(benchmark::State& state) {
  const int64_t n = state.range(0);
  ReferenceModel model(BenchConfig());
  for (int64_t i = 0; i < n; ++i) (void)model.AddSection(SectionAt(i));
  uint64_t next = static_cast<uint64_t>(n);
  for (auto _ : state) {
    const Section s = SectionAt(next++);
    (void)model.AddSection(s);
    (void)model.RemoveSection(s.gpa, s.size);
  }
}

// A harness (translator, device, model, incremental oracle) with n live
// sections.
std::unique_ptr<Harness> CheckedWith(int64_t n) {
  HarnessOptions options;
  options.keep_log = false;
  auto h = std::make_unique<Harness>(BenchConfig(), *FindTranslator("decoupled"), options);
  (void)h->Step(ListenerBeginEvent{});
  for (int64_t i = 0; i < n; ++i) (void)h->Step(RegionAddEvent{SectionAt(i)});
  (void)h->Step(ListenerCommitEvent{});
  return h;
}

// The checked step: a region_add and a region_del (each in its own
// transaction, so six events) through the harness with the oracle.
void BM_CheckedAddDel(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::unique_ptr<Harness> checked = CheckedWith(n);
  Harness& h = *checked;
  uint64_t next = static_cast<uint64_t>(n);
  for (auto _ : state) {
    const Section s = SectionAt(next++);
    (void)h.Step(ListenerBeginEvent{});
    (void)h.Step(RegionAddEvent{s});
    (void)h.Step(ListenerCommitEvent{});
    (void)h.Step(ListenerBeginEvent{});
    (void)h.Step(RegionDelEvent{s});
    (void)h.Step(ListenerCommitEvent{});
  }
  if (h.failed()) state.SkipWithError(DivergenceToString(*h.divergence()).c_str());
}

// A checked translate: the translator's answer DMA'd through the device and
// held against the model, then the state rules.
void BM_CheckedTranslate(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::unique_ptr<Harness> checked = CheckedWith(n);
  Harness& h = *checked;
  SplitMix64 rng(20261202);
  TranslateEvent e;
  e.iovecs.resize(1);
  for (auto _ : state) {
    const Section s = SectionAt(rng.Next() % static_cast<uint64_t>(n));
    e.iovecs[0] = Iovec{s.gpa + 0x10, s.hva + 0x10, 0x100, true, false};
    (void)h.Step(e);
  }
  if (h.failed()) state.SkipWithError(DivergenceToString(*h.divergence()).c_str());
}

BENCHMARK(BM_TranslatorAddDel)->RangeMultiplier(10)->Range(100, 1000000);
BENCHMARK(BM_TranslatorTranslate)->RangeMultiplier(10)->Range(100, 1000000);
BENCHMARK(BM_ModelAddDel)->RangeMultiplier(10)->Range(100, 1000000);
// QEMU's linear walks: 10k live sections already take it seconds to set up.
BENCHMARK(BM_QemuAddDel)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_QemuTranslate)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_LegacyAddDel)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_LegacyTranslate)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_AliasIdAddDel)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_AliasIdTranslate)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_SvqWindowAddDel)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_SvqWindowTranslate)->RangeMultiplier(10)->Range(100, 10000);
BENCHMARK(BM_DecoupledHostMapUnmap)->Arg(8)->Arg(32)->Arg(120);
BENCHMARK(BM_DecoupledHostTranslate)->Arg(8)->Arg(32)->Arg(120);
BENCHMARK(BM_SvqWindowHostMapUnmap)->Arg(8)->Arg(32)->Arg(120);
BENCHMARK(BM_SvqWindowHostTranslate)->Arg(8)->Arg(32)->Arg(120);
BENCHMARK(BM_CheckedAddDel)->RangeMultiplier(10)->Range(100, 1000000);
BENCHMARK(BM_CheckedTranslate)->RangeMultiplier(10)->Range(100, 1000000);

// Reports each run's time per iteration, kept for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred || r.iterations == 0) continue;
      const std::string name = r.benchmark_name();
      const size_t slash = name.find('/');
      const std::string family = name.substr(0, slash);
      const int64_t n = std::stoll(name.substr(slash + 1));
      NsPerOp()[family][n] = r.GetAdjustedRealTime();  // in the run's unit (ns)
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

void PrintRatios() {
  std::printf("\nQEMU 10.0's code / decoupled, same N, same process:\n");
  for (const char* op : {"AddDel", "Translate"}) {
    const auto& q = NsPerOp()[std::string("BM_Qemu") + op];
    const auto& d = NsPerOp()[std::string("BM_Translator") + op];
    std::printf("%-10s", op);
    for (const auto& [n, ns] : q) {
      auto it = d.find(n);
      if (it != d.end()) std::printf("  %lld: %.0fx", static_cast<long long>(n), ns / it->second);
    }
    std::printf("\n");
  }
  std::printf("\nsvq-window / decoupled, same N, same process (host: N live buffers):\n");
  for (const auto& [window, tree] :
       {std::pair{"BM_SvqWindowAddDel", "BM_TranslatorAddDel"},
        std::pair{"BM_SvqWindowTranslate", "BM_TranslatorTranslate"},
        std::pair{"BM_SvqWindowHostMapUnmap", "BM_DecoupledHostMapUnmap"},
        std::pair{"BM_SvqWindowHostTranslate", "BM_DecoupledHostTranslate"}}) {
    const auto& w = NsPerOp()[window];
    const auto& d = NsPerOp()[tree];
    std::printf("%-26s", window + 3);
    for (const auto& [n, ns] : w) {
      auto it = d.find(n);
      if (it != d.end()) std::printf("  %lld: %.2fx", static_cast<long long>(n), ns / it->second);
    }
    std::printf("\n");
  }
  std::printf("\nt(N) / t(100), same process (ns per iteration at N = 100 first):\n");
  for (const auto& [family, by_n] : NsPerOp()) {
    if (by_n.empty()) continue;
    const double base = by_n.begin()->second;
    std::printf("%-24s %10.0f ns", family.c_str(), base);
    for (const auto& [n, ns] : by_n) std::printf("  %lld: %.2fx", static_cast<long long>(n), ns / base);
    std::printf("\n");
  }
}

}  // namespace
}  // namespace iovacheck

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  iovacheck::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  iovacheck::PrintRatios();
  return 0;
}
