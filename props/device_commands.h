// Commands for the device's side of a VM's life: a reset, the listener
// re-registered with or without shadow data (QEMU's SVQ switch around
// migration), and a DMA the device makes on its own at the edges of what is
// mapped. With them a property reaches every translator entry point the
// simulator does, so a bug there fails more than one test target.
#ifndef IOVACHECK_PROPS_DEVICE_COMMANDS_H_
#define IOVACHECK_PROPS_DEVICE_COMMANDS_H_

#include "props/commands.h"

namespace iovacheck {

class ResetDevice : public EventCommand {
 public:
  explicit ResetDevice(const GenState& s);
  void checkPreconditions(const GenState& s) const override;
  void apply(GenState&) const override {}
  std::vector<Event> Events() const override;
};

// Unregister (every section deleted, every host buffer unmapped), maybe a
// reset, the switch, register again (every section added back). The events
// are made from the state the command runs in, not the one it was drawn
// in, and a switch to what already holds does nothing: a shrink that drops
// a section or an earlier switch keeps this one valid, so counterexamples
// shrink past a pair of switches one at a time.
class SwitchShadowData : public EventCommand {
 public:
  explicit SwitchShadowData(const GenState& s);
  void checkPreconditions(const GenState& s) const override;
  void run(const GenState& state, Harness& harness) const override;
  void apply(GenState& s) const override;
  void show(std::ostream& os) const override;
  std::vector<Event> Events() const override { return {}; }  // see EventsIn
  std::vector<Event> EventsIn(const GenState& s) const;

 private:
  bool enable_ = false;
  bool reset_ = false;
};

// A DMA at a fixed-IOVA edge (a section's first or last byte or one past,
// without shadow data; a guest IOMMU entry's; the device's IOVA range and
// the top of the 64-bit space) or anywhere low.
class DeviceDma : public EventCommand {
 public:
  explicit DeviceDma(const GenState& s);
  void apply(GenState&) const override {}
  std::vector<Event> Events() const override { return {dma_}; }

 private:
  DeviceDmaEvent dma_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_DEVICE_COMMANDS_H_
