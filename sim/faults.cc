#include "sim/faults.h"

#include <algorithm>
#include <cerrno>
#include <variant>

#include "absl/numeric/int128.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

// The plan's stream is the seed's, salted: the simulator seeds its scenario
// with the same number, and the faults must not mirror the scenario's
// choices draw for draw. ("BUGGIFY!" in ASCII.)
constexpr uint64_t kFaultSalt = 0x4255474749465921;

// FromSeed: each site is enabled with probability 1/3, so that most runs
// exercise a few sites and some none, and an enabled site fires on this
// percentage of its opportunities: often enough to matter in a few hundred
// events, rarely enough that the run still does something else.
constexpr uint64_t kEnableOneIn = 3;
constexpr uint64_t kSeededPercent = 5;

// kIovaRangeTooSmall keeps between these many pages of IOVA: a handful of
// sections and rings fill it, so allocations do run out.
constexpr uint64_t kSmallRangeMinPages = 32;
constexpr uint64_t kSmallRangeMaxPages = 256;

// A lost message is a transient: never more than this many writes in a row
// are lost, so a translator that retries EINTR as the channel contract asks
// (decoupled bounds its attempts at 8) always gets through, and an error
// after a lost message is the translator's own.
constexpr int kMaxLostInARow = 3;

uint32_t Bit(FaultSite site) { return uint32_t{1} << static_cast<int>(site); }

// The events whose UPDATE creates the mapping the event is about; an UPDATE
// sent for anything else (a reset's re-sends) is never rejected, since no
// excuse could cover the mapping it restores.
bool IsMappingEvent(const Event& event) {
  return std::holds_alternative<RegionAddEvent>(event) ||
         std::holds_alternative<HostMapEvent>(event) ||
         std::holds_alternative<IommuMapEvent>(event);
}

}  // namespace

const char* FaultSiteName(FaultSite site) {
  switch (site) {
    case FaultSite::kDeviceRejectsUpdate: return "device_rejects_update";
    case FaultSite::kIovaRangeTooSmall: return "iova_range_too_small";
    case FaultSite::kResetMidTransaction: return "reset_mid_transaction";
    case FaultSite::kMessageLost: return "message_lost";
  }
  return "unknown";
}

std::vector<FaultSite> AllFaultSites() {
  return {FaultSite::kDeviceRejectsUpdate, FaultSite::kIovaRangeTooSmall,
          FaultSite::kResetMidTransaction, FaultSite::kMessageLost};
}

FaultPlan FaultPlan::FromSeed(uint64_t seed) {
  FaultPlan plan;
  plan.prng_ = SplitMix64(seed ^ kFaultSalt);
  for (FaultSite site : AllFaultSites()) {
    if (plan.prng_.Below(kEnableOneIn) == 0) plan.enabled_mask_ |= Bit(site);
  }
  plan.percent_ = kSeededPercent;
  plan.small_range_pages_ = plan.prng_.InRange(kSmallRangeMinPages, kSmallRangeMaxPages);
  return plan;
}

FaultPlan FaultPlan::Only(std::vector<FaultSite> sites, uint64_t percent, uint64_t seed) {
  FaultPlan plan;
  plan.prng_ = SplitMix64(seed ^ kFaultSalt);
  for (FaultSite site : sites) plan.enabled_mask_ |= Bit(site);
  plan.percent_ = std::min<uint64_t>(percent, 100);
  plan.small_range_pages_ = plan.prng_.InRange(kSmallRangeMinPages, kSmallRangeMaxPages);
  return plan;
}

bool FaultPlan::enabled(FaultSite site) const { return (enabled_mask_ & Bit(site)) != 0; }

void FaultPlan::Disable(FaultSite site) { enabled_mask_ &= ~Bit(site); }

std::vector<std::string> FaultPlan::EnabledNames() const {
  std::vector<std::string> names;
  for (FaultSite site : AllFaultSites()) {
    if (enabled(site)) names.push_back(FaultSiteName(site));
  }
  return names;
}

bool FaultPlan::Fire(FaultSite site) {
  // A disabled site draws nothing from the stream, so the enabled ones do
  // not depend on how often the simulator asks about sites the seed left off.
  if (!enabled(site)) return false;
  return prng_.Percent(percent_);
}

DeviceConfig FaultPlan::ApplyToDevice(DeviceConfig config) const {
  if (!enabled(FaultSite::kIovaRangeTooSmall) || config.page_size == 0) return config;
  // Allocation starts at max(first, page) (page 0 is never handed out), so
  // the span is counted from there; a range already smaller stays as it is.
  const uint64_t floor = std::max(config.iova_first, config.page_size);
  const absl::uint128 last =
      absl::uint128(floor) + absl::uint128(small_range_pages_) * config.page_size - 1;
  if (last < config.iova_last) config.iova_last = absl::Uint128Low64(last);
  return config;
}

std::optional<InjectedFault> SimulatedChannelFaults::Intercept(const Event& event,
                                                               size_t message_index,
                                                               const IotlbMsg& msg) {
  if (msg.type == kIotlbUpdate && IsMappingEvent(event) &&
      plan_->Fire(FaultSite::kDeviceRejectsUpdate)) {
    // What the kernel reports for any handler error: EFAULT. The mapping
    // never reached the device, which excuses its absence.
    lost_in_a_row_ = 0;
    return InjectedFault{message_index, FaultSiteName(FaultSite::kDeviceRejectsUpdate),
                         EFAULT, /*excuses_mapping=*/true};
  }
  if (lost_in_a_row_ < kMaxLostInARow && plan_->Fire(FaultSite::kMessageLost)) {
    // Interrupted before it did anything: the translator must write it again,
    // so nothing is excused.
    ++lost_in_a_row_;
    return InjectedFault{message_index, FaultSiteName(FaultSite::kMessageLost), EINTR,
                         /*excuses_mapping=*/false};
  }
  lost_in_a_row_ = 0;
  return std::nullopt;
}

std::optional<InjectedFault> RecordedChannelFaults::Intercept(const Event& event,
                                                              size_t message_index,
                                                              const IotlbMsg& msg) {
  (void)event;  // the faults loaded are this event's already
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->excuses_mapping) {
      // Lost messages and the like: exactly where they were recorded.
      if (it->message_index == message_index) return *it;
      continue;
    }
    // A fault that excused a mapping was injected on the event's UPDATE. A
    // shrunk trace can move that UPDATE (the event now begins the batch an
    // event it lost used to begin): the fault goes to the first UPDATE at or
    // after its recorded place, once. Replaying the trace as it was, that is
    // the recorded message itself.
    if (msg.type == kIotlbUpdate && message_index >= it->message_index) {
      const InjectedFault fault = *it;
      faults_.erase(it);
      return fault;
    }
  }
  return std::nullopt;
}

}  // namespace iovacheck
