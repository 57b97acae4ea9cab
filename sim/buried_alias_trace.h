// A long generated trace with one aliasing bug buried in it, for shrinking
// tests and benchmarks: thousands of events of listener transactions adding
// and removing RAM sections, host-only buffers coming and going (some reusing
// the HVA of RAM that was removed), guest buffer translations and device
// DMA, none of which involves aliasing; and, in the middle, the seeds'
// pattern (facts section 2): low RAM added at boot, an smram-like alias of
// part of it added, then deleted. `legacy` diverges exactly at that delete;
// `decoupled` passes the whole trace.
#ifndef IOVACHECK_SIM_BURIED_ALIAS_TRACE_H_
#define IOVACHECK_SIM_BURIED_ALIAS_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "model/device_config.h"
#include "sim/event.h"

namespace iovacheck {

struct BuriedAliasOptions {
  uint64_t seed = 1;
  // The trace has at least this many input events (listener_begin/commit
  // markers not counted; with them it is about half as long again).
  size_t min_input_events = 10000;
  // Where the alias is added and deleted, as a fraction of the input events.
  double bury_at = 0.5;
};

struct BuriedAliasTrace {
  DeviceConfig config;
  std::vector<Event> events;
  size_t ram_add_index = 0;       // low RAM, the first transaction
  size_t alias_add_index = 0;     // the alias inside low RAM's HVA
  size_t alias_delete_index = 0;  // where legacy unmaps low RAM instead
};

// Deterministic: the same options give the same events on every platform.
BuriedAliasTrace MakeBuriedAliasTrace(const BuriedAliasOptions& options);
// The same events handed to `sink` one by one as they are made, for traces
// too long to hold (the result's `events` stays empty).
BuriedAliasTrace GenerateBuriedAliasTrace(const BuriedAliasOptions& options,
                                          const std::function<void(Event)>& sink);
DeviceConfig BuriedAliasConfig();  // the device every such trace runs on

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_BURIED_ALIAS_TRACE_H_
