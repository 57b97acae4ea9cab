#include "tools/device_diff_command.h"

#include <iostream>

#include "absl/strings/str_format.h"
#include "devicediff/device_diff.h"
#include "devicediff/diff_configs.h"
#include "devicediff/op_generator.h"
#include "devices/device_registry.h"

namespace iovacheck {

int RunDeviceDiff(const std::string& device, uint64_t messages, uint64_t seed,
                  uint64_t run_length) {
  if (absl::Status s = CheckDeviceName(device); !s.ok() || device == "emulated") {
    std::cerr << "device-diff: --device must name a kernel device ("
              << (s.ok() ? "not emulated" : std::string(s.message())) << ")\n";
    return 2;
  }
  if (run_length == 0) run_length = 1;
  // The emulation follows the kernel version it is compared with.
  const KernelProfile profile =
      device == "linux-6.1" ? KernelProfile::kLinux61 : KernelProfile::kLinux612;
  const std::vector<DeviceConfig> configs = DiffConfigs(profile);
  // Runs of run_length operations on fresh devices, until at least
  // `messages` write() messages have been compared.
  uint64_t compared = 0;
  uint64_t operations = 0;
  for (uint64_t run = 0; compared < messages; ++run) {
    const DeviceConfig& config = configs[run % configs.size()];
    const uint64_t run_seed = seed + run;
    const size_t n = static_cast<size_t>(run_length);
    std::vector<DeviceOp> ops = GenerateOps(run_seed, config, n);
    const DeviceMaker emulated = NamedDevice(config, "emulated");
    const DeviceMaker kernel = NamedDevice(config, device);
    absl::StatusOr<std::optional<Disagreement>> r = RunDiff(ops, emulated, kernel);
    if (!r.ok()) {
      std::cerr << "device-diff: " << r.status().message() << "\n";
      return 2;
    }
    if (r->has_value()) {
      std::vector<DeviceOp> minimal = ShrinkDiff(ops, emulated, kernel);
      absl::StatusOr<std::optional<Disagreement>> m = RunDiff(minimal, emulated, kernel);
      std::cout << absl::StrFormat(
          "DISAGREE emulated vs %s after %u operations (run seed %u, %s)\n", device,
          operations + (*r)->op_index + 1, run_seed, DeviceConfigToString(config));
      std::cout << absl::StrFormat("minimal (%u operations):\n", minimal.size());
      for (const DeviceOp& op : minimal) std::cout << "  " << DeviceOpToString(op) << "\n";
      if (m.ok() && m->has_value()) std::cout << "  => " << (*m)->what << "\n";
      std::cout << absl::StrFormat(
          "reproduce: iovacheck device-diff --device=%s --seed=%u --messages=1 "
          "--run_length=%u\n",
          device, run_seed, run_length);
      return 1;
    }
    compared += CountMessages(ops);
    operations += ops.size();
  }
  std::cout << absl::StrFormat(
      "AGREE emulated and %s on %u write() messages in %u operations (seed %u)\n", device,
      compared, operations, seed);
  return 0;
}

}  // namespace iovacheck
