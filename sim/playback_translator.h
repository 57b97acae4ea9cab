// A translator that makes no decisions: it plays back what a recorded
// translator (QEMU, or one of ours in an earlier run) did. Before each event
// the replay loads that event's recorded outputs; the messages go to the
// device as they were written, and the recorded return code and IOVAs are
// answered. The oracle then judges the recording exactly as it judges a live
// translator: "was this real run consistent?"
#ifndef IOVACHECK_SIM_PLAYBACK_TRANSLATOR_H_
#define IOVACHECK_SIM_PLAYBACK_TRANSLATOR_H_

#include <optional>
#include <string>
#include <vector>

#include "model/interval_table.h"
#include "sim/harness.h"
#include "translator/translator.h"

namespace iovacheck {

class PlaybackTranslator : public Translator {
 public:
  PlaybackTranslator(const DeviceConfig& config, IotlbChannel* channel);

  // The outputs of the next event. `answers_recorded`: the recording holds
  // write()'s answers, and the emulated device must give the same ones.
  void Load(const StepRecord& recorded, bool answers_recorded);
  // Set when the emulated device answered a message differently from the
  // recording: the device and the emulator disagree.
  const std::optional<std::string>& answer_mismatch() const { return mismatch_; }

  void ListenerBegin() override { Play(); }
  void ListenerCommit() override { Play(); }
  int RegionAdd(const GuestSection&) override { return Play(); }
  int RegionDel(const GuestSection&) override { return Play(); }
  int MapHostBuffer(uint64_t, uint64_t, uint8_t, uint32_t) override { return Play(); }
  int UnmapHostBuffer(uint64_t, uint64_t, uint32_t) override { return Play(); }
  int TranslateBuffer(const std::vector<Iovec>& iovecs,
                      std::vector<uint64_t>* iovas) override;
  // The recorded translator's allocations are not observable; what its
  // accepted messages left mapped stands in for them, so the leak checker
  // has nothing to say about a recording.
  std::vector<IovaAllocation> Allocations() const override;
  void SetShadowData(bool) override { Play(); }
  int DeviceReset() override { return Play(); }
  int IommuMap(uint64_t, uint64_t, uint64_t, uint8_t) override { return Play(); }
  int IommuUnmap(uint64_t, uint64_t) override { return Play(); }

 private:
  int Play();

  IotlbChannel* channel_;
  StepRecord loaded_;
  bool answers_recorded_ = false;
  std::optional<std::string> mismatch_;
  std::vector<IntervalTable> mapped_;  // per asid, as the accepted messages left it
};

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_PLAYBACK_TRANSLATOR_H_
