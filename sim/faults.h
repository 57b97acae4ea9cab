// Fault injection in the style of FoundationDB's BUGGIFY: named fault sites,
// each enabled per run by the seed and then firing with a probability. The
// trace records which fired, so a replay injects exactly the same faults.
#ifndef IOVACHECK_SIM_FAULTS_H_
#define IOVACHECK_SIM_FAULTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/device_config.h"
#include "sim/harness.h"
#include "sim/prng.h"

namespace iovacheck {

enum class FaultSite {
  kDeviceRejectsUpdate,   // an UPDATE of a mapping event answered EFAULT, not applied
  kIovaRangeTooSmall,     // the device's IOVA range is cut so allocations run out
  kResetMidTransaction,   // the device is reset between events of a transaction
  kMessageLost,           // a write fails with EINTR having done nothing; synthetic:
                          // Linux's vhost-vdpa write path never returns EINTR
                          // (vhost_chr_write_iter folds every handler error into
                          // EFAULT, and the handler takes dev->mutex
                          // uninterruptibly), so it is injected only into
                          // translators that promise to retry it (ours)
};

const char* FaultSiteName(FaultSite site);
std::vector<FaultSite> AllFaultSites();

// Which sites a run enables, and how they fire; all from the run's seed.
class FaultPlan {
 public:
  // No faults.
  FaultPlan() = default;
  // Each site enabled with some probability drawn from `seed`.
  static FaultPlan FromSeed(uint64_t seed);
  // Exactly these sites, firing with `percent` probability each time.
  static FaultPlan Only(std::vector<FaultSite> sites, uint64_t percent, uint64_t seed);

  bool enabled(FaultSite site) const;
  // Never fires `site`, whatever the seed said; the other sites' choices
  // stay as the seed made them.
  void Disable(FaultSite site);
  std::vector<std::string> EnabledNames() const;
  // Whether an enabled site fires now (consumes the plan's own PRNG).
  bool Fire(FaultSite site);

  // kIovaRangeTooSmall: the range cut down, when enabled.
  DeviceConfig ApplyToDevice(DeviceConfig config) const;

 private:
  uint32_t enabled_mask_ = 0;
  uint64_t percent_ = 0;
  SplitMix64 prng_{0};
  // kIovaRangeTooSmall: how many pages the cut range keeps, drawn when the
  // plan is made so that ApplyToDevice does not depend on when it is called.
  uint64_t small_range_pages_ = 0;
};

// The channel-level sites (reject, lost) for a simulation run.
class SimulatedChannelFaults : public ChannelFaults {
 public:
  explicit SimulatedChannelFaults(FaultPlan* plan) : plan_(plan) {}
  std::optional<InjectedFault> Intercept(const Event& event, size_t message_index,
                                         const IotlbMsg& msg) override;

 private:
  FaultPlan* plan_;
  // kMessageLost: how many writes in a row were lost (the retries of one
  // message), so that a translator which retries always gets through.
  int lost_in_a_row_ = 0;
};

// Replays the faults a trace recorded for each event.
class RecordedChannelFaults : public ChannelFaults {
 public:
  // The faults recorded for the next event.
  void Load(std::vector<InjectedFault> faults) { faults_ = std::move(faults); }
  std::optional<InjectedFault> Intercept(const Event& event, size_t message_index,
                                         const IotlbMsg& msg) override;

 private:
  std::vector<InjectedFault> faults_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_FAULTS_H_
