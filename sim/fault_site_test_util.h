// Test support for the per-site fault tests: a small hand-written run (a
// transaction adding two RAM sections, SVQ ring areas, translations), a
// driver that steps a harness through events, and bases for deliberately
// wrong variants of decoupled.
#ifndef IOVACHECK_SIM_FAULT_SITE_TEST_UTIL_H_
#define IOVACHECK_SIM_FAULT_SITE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/iotlb_msg.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "translator/decoupled_translator.h"
#include "translator/forwarding_translator.h"

namespace iovacheck {

inline constexpr uint64_t kPage = 0x1000;
inline constexpr uint64_t kMiB = 0x100000;
inline constexpr uint64_t kRamHva = 0x7f0000000000;
inline constexpr uint64_t kRingHva = 0x7f1000000000;

inline Section Ram(const char* name, uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.name = name;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

// A buffer element in a section, at `offset` into it.
inline Iovec In(const Section& s, uint64_t offset, uint64_t len, bool device_writes) {
  return Iovec{s.gpa + offset, s.hva + offset, len, true, device_writes};
}
inline Iovec InHost(uint64_t hva, uint64_t len, bool device_writes) {
  return Iovec{0, hva, len, false, device_writes};
}

inline const Section kLow = Ram("ram-low", 0, kMiB, kRamHva);
inline const Section kHigh = Ram("ram-high", kMiB, kMiB, kRamHva + kMiB);
inline const HostBuffer kDriverArea{kRingHva, kPage, kPermRO, 0, "svq-driver"};
inline const HostBuffer kDeviceArea{kRingHva + kPage, kPage, kPermRW, 0, "svq-device"};

// A transaction adding two RAM sections, the SVQ ring areas, buffers
// translated in all of them, then the high section goes.
inline std::vector<Event> SmallRun() {
  return {
      ListenerBeginEvent{},
      RegionAddEvent{kLow},   // 1
      RegionAddEvent{kHigh},  // 2
      ListenerCommitEvent{},
      HostMapEvent{kDriverArea},  // 4
      HostMapEvent{kDeviceArea},  // 5
      TranslateEvent{{In(kLow, 0x1000, 0x1000, true), In(kHigh, 0x80000, 0x2000, false)}},
      TranslateEvent{{InHost(kRingHva, 0x100, false), InHost(kRingHva + kPage, 0x100, true)}},
      ListenerBeginEvent{},
      RegionDelEvent{kHigh},  // 9
      ListenerCommitEvent{},
      TranslateEvent{{In(kLow, 0x2000, 0x1000, false)}},
      TranslateEvent{{In(kHigh, 0x2000, 0x1000, false)}},  // refused: gone
  };
}

inline std::unique_ptr<Harness> Drive(const DeviceConfig& config,
                                      const TranslatorFactory& factory, ChannelFaults* faults,
                                      const std::vector<Event>& events) {
  HarnessOptions options;
  options.faults = faults;
  auto harness = std::make_unique<Harness>(config, factory, options);
  for (size_t i = 0; i < events.size(); ++i) {
    const absl::Status s = harness->Step(events[i]);
    EXPECT_TRUE(s.ok()) << "event " << i << ": " << s;
  }
  return harness;
}

// What went wrong, for a failed expectation: the divergence and the log.
inline std::string Why(const Harness& h) {
  std::string out;
  if (h.failed()) {
    absl::StrAppend(&out, "divergence at event ", h.divergence_index(), ": ",
                    DivergenceToString(*h.divergence()), "\n");
  }
  return out + FormatLog(h.log());
}

// Entries the translator gave the parent of asid (its own default, held
// while nothing is mapped, counts none).
inline size_t DeviceEntries(const Harness& h, uint32_t asid = 0) {
  const IntervalTable* t = h.device().device_table(asid);
  if (t == nullptr || OnlyParentDefault(h.device(), asid)) return 0;
  return t->size();
}

inline const TranslatorFactory kDecoupled = &DecoupledTranslator::Create;

template <typename Variant>
TranslatorFactory VariantFactory() {
  return [](const DeviceConfig& config, IotlbChannel* channel) -> std::unique_ptr<Translator> {
    return std::make_unique<Variant>(config, channel);
  };
}

// Decoupled, for variants that break one call.
class DecoupledVariant : public ForwardingTranslator {
 public:
  DecoupledVariant(const DeviceConfig& config, IotlbChannel* channel)
      : ForwardingTranslator(DecoupledTranslator::Create(config, channel)) {}
};

// Reports success although the device refused the mapping.
class SwallowsRefusal : public DecoupledVariant {
 public:
  using DecoupledVariant::DecoupledVariant;
  int RegionAdd(const GuestSection& s) override {
    inner().RegionAdd(s);
    return 0;
  }
};

// Decoupled behind a channel shim the variant owns. The shim is made before
// the inner translator, which keeps a pointer to it.
template <typename Shim>
class ShimmedDecoupled : public ForwardingTranslator {
 protected:
  explicit ShimmedDecoupled(std::pair<DeviceConfig, std::unique_ptr<Shim>> parts)
      : ForwardingTranslator(DecoupledTranslator::Create(parts.first, parts.second.get())),
        shim_(std::move(parts.second)) {}
  Shim& shim() const { return *shim_; }

 private:
  std::unique_ptr<Shim> shim_;
};

// Eight sections in one transaction, then a buffer translated in each.
inline std::vector<Event> EightSections() {
  std::vector<Event> events{ListenerBeginEvent{}};
  std::vector<Section> sections;
  for (uint64_t i = 0; i < 8; ++i) {
    sections.push_back(Ram("ram", i * kMiB, kMiB, kRamHva + i * kMiB));
    events.push_back(RegionAddEvent{sections.back()});
  }
  events.push_back(ListenerCommitEvent{});
  for (const Section& s : sections) {
    events.push_back(TranslateEvent{{In(s, 0x3000, 0x1000, true)}});
  }
  return events;
}

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_FAULT_SITE_TEST_UTIL_H_
