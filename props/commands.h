// RapidCheck state-machine commands: each is a small batch of translator
// events (one listener transaction, one host buffer map, one buffer
// translation) generated from the GenState and run on a Harness.
#ifndef IOVACHECK_PROPS_COMMANDS_H_
#define IOVACHECK_PROPS_COMMANDS_H_

#include <memory>
#include <optional>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "props/gen_state.h"
#include "sim/event.h"
#include "sim/harness.h"

namespace iovacheck {

using Command = rc::state::Command<GenState, Harness>;

class EventCommand : public Command {
 public:
  // The events this command feeds the harness, in order.
  virtual std::vector<Event> Events() const = 0;
  // Feeds them, stopping at the first divergence. Input the model refuses is
  // a generator bug and fails the property loudly.
  void run(const GenState& state, Harness& harness) const override;
  void show(std::ostream& os) const override;

 protected:
  // Feeds `events`, as run does with Events().
  static void Feed(const std::vector<Event>& events, Harness& harness);
};

// Picks the next command for the state (weighted towards sections and
// aliasing).
rc::Gen<std::shared_ptr<const Command>> GenCommand(const GenState& state);

// A device: page size, IOVA range, backend features, address spaces; the
// kind is fixed when given.
rc::Gen<DeviceConfig> GenDeviceConfig(std::optional<DeviceKind> kind);

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_COMMANDS_H_
