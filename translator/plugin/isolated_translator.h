// A plug-in run in a child process of its own, so that QEMU's asserts,
// aborts, NULL dereferences, exit() calls and endless loops become a verdict
// (TranslatorDeath) instead of taking iovacheck down.
//
// One child per translator instance (per seed, per replay, per shrink
// candidate): the parent has already loaded the plug-in, so the child is a
// plain fork() that inherits it, with no exec and no second dlopen; a fork
// costs well under a millisecond next to a run's thousands of calls, and a
// fresh process per instance means one run's state cannot leak into the next.
// The device, the model and the oracle stay in the parent: every IOTLB
// message the plug-in writes is a round trip to the parent's IotlbChannel.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_ISOLATED_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_ISOLATED_TRANSLATOR_H_

#include <sys/types.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "translator/plugin/iovacheck_plugin.h"
#include "translator/translator.h"

namespace iovacheck {

class WireReader;

struct IsolationLimits {
  // A call that has used this much CPU in the child without returning is a
  // hang. CPU time, not wall time, so that a loaded machine does not turn a
  // slow answer into a verdict.
  double cpu_seconds = 10;
  // A child that sleeps or blocks uses no CPU: after this much wall time
  // without an answer the call is a hang too.
  double wall_seconds = 120;
};

class IsolatedTranslator : public Translator {
 public:
  // Forks the child and creates the plug-in's instance there. Never null: a
  // child that cannot be started or whose create() fails is dead from the
  // start, and the first event reports it.
  static std::unique_ptr<Translator> Create(const iovacheck_plugin* plugin,
                                            const IsolationLimits& limits,
                                            const DeviceConfig& config,
                                            IotlbChannel* channel);
  ~IsolatedTranslator() override;

  std::optional<TranslatorDeath> death() const override { return death_; }

  void ListenerBegin() override;
  void ListenerCommit() override;
  int RegionAdd(const GuestSection& section) override;
  int RegionDel(const GuestSection& section) override;
  int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override;
  int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) override;
  int TranslateBuffer(const std::vector<Iovec>& iovecs, std::vector<uint64_t>* iovas) override;
  std::vector<IovaAllocation> Allocations() const override;
  void SetShadowData(bool enabled) override;
  int DeviceReset() override;
  int IommuMap(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) override;
  int IommuUnmap(uint64_t giova, uint64_t last) override;

 private:
  IsolatedTranslator(const IsolationLimits& limits, IotlbChannel* channel)
      : limits_(limits), channel_(channel) {}

  void Start(const iovacheck_plugin* plugin, const DeviceConfig& config);
  // Sends one call and serves the child until it returns: the return frame
  // (after its kind byte), or nullopt once the child is dead.
  std::optional<std::string> Call(const std::string& call) const;
  // Waits for the next frame from the child within the limits.
  bool Receive(std::string* frame) const;
  // Reads the allocations a return frame ends with, if they changed.
  bool TakeAllocations(WireReader& r) const;
  int SimpleCall(const std::string& call) const;
  void Die(std::optional<TranslatorDeath> hang) const;
  void Broken(const std::string& why);

  IsolationLimits limits_;
  IotlbChannel* channel_;
  pid_t pid_ = -1;
  int fd_ = -1;
  // Calls are const where the Translator interface says so (Allocations);
  // the conversation with the child changes these regardless.
  mutable bool reaped_ = false;
  mutable std::optional<TranslatorDeath> death_;
  mutable std::deque<std::string> log_;
  mutable std::vector<IovaAllocation> allocations_;  // as the child last sent them
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_ISOLATED_TRANSLATOR_H_
