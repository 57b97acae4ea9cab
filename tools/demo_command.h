// `iovacheck demo [--seeds=N] [--jobs=J] [--out_dir=DIR]`: the main job in
// one command. A small campaign of every scenario against `decoupled` (one
// verdict line each; all must pass), then `legacy` on the default scenario
// until its first failing seed, shrunk, printed as the minimal event list and
// saved as a trace under DIR.
#ifndef IOVACHECK_TOOLS_DEMO_COMMAND_H_
#define IOVACHECK_TOOLS_DEMO_COMMAND_H_

#include <cstdint>
#include <string>

namespace iovacheck {

struct DemoCommand {
  std::string seeds = "30";  // per scenario against decoupled: N (1..N) or A..B
  std::string translator = "decoupled";  // run on every scenario
  std::string device = "emulated";       // DeviceNames(): the device of every run
  uint64_t legacy_max_seed = 500;  // legacy is scanned from seed 1 up to here
  uint64_t qemu_max_seed = 200;    // and each QEMU version's plug-in up to here
  int jobs = 2;
  uint64_t steps = 0;  // 0: the simulator's default
  std::string out_dir = "iovacheck-demo";
  double budget_seconds = 20;  // for the shrink
  bool progress = false;       // progress lines on stderr
};

// Exit status: 0 decoupled passed everywhere and the aliasing bug was found
// and shrunk in legacy and in QEMU 7.2's own code (what the demo is there to
// show); 1 otherwise; 2 bad arguments. QEMU 10.0's line reports what its
// code did: a failure there is a finding, not part of the exit status.
int RunDemo(const DemoCommand& command);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_DEMO_COMMAND_H_
