#include "tools/mdev_command.h"

#include <filesystem>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "mdev/harness.h"
#include "mdev/registry.h"
#include "mdev/scenario.h"
#include "mdev/shrink.h"
#include "mdev/trace_file.h"
#include "sim/campaign.h"

namespace iovacheck {

int RunMdevCommand(const MdevCommand& command) {
  absl::StatusOr<SeedRange> seeds = ParseSeedRange(command.seeds);
  if (!seeds.ok()) {
    std::cerr << "iovacheck mdev: --seeds: " << seeds.status().message() << "\n";
    return 2;
  }
  if (command.tracker.empty()) {
    std::cerr << "iovacheck mdev: --tracker is required: one of "
              << absl::StrJoin(TrackerNames(), ", ") << "\n";
    return 2;
  }
  {
    VfioType1Container probe;
    if (absl::StatusOr<std::unique_ptr<MdevTracker>> t = MakeTracker(command.tracker, &probe);
        !t.ok()) {
      std::cerr << "iovacheck mdev: " << t.status().message() << "\n";
      return 2;
    }
  }
  const std::string out_dir =
      command.out_dir.empty() ? "mdev-" + command.tracker : command.out_dir;
  std::cout << "iovacheck mdev: tracker " << command.tracker << ", seeds " << seeds->first
            << ".." << seeds->last << ", " << command.steps << " steps each\n";
  uint64_t failed = 0, run = 0, events = 0, shrunk = 0;
  for (uint64_t seed = seeds->first;; ++seed) {
    const std::vector<MdevEvent> run_events =
        GenerateMdevRun(seed, static_cast<int>(command.steps));
    absl::StatusOr<std::optional<MdevDivergence>> d = RunMdevEvents(command.tracker, run_events);
    if (!d.ok()) {
      std::cerr << "iovacheck mdev: " << d.status().message() << "\n";
      return 2;
    }
    ++run;
    events += run_events.size();
    if (d->has_value()) {
      ++failed;
      const MdevDivergence& div = **d;
      std::cout << "FAIL seed " << seed << ": "
                << MdevDivergenceToString(div, run_events[div.event_index]) << "\n";
      if (shrunk < command.max_shrinks) {
        ++shrunk;
        const std::string stem =
            absl::StrFormat("%s/mdev-%s-seed%u", out_dir, command.tracker, seed);
        const std::string source = absl::StrFormat(
            "iovacheck mdev --tracker=%s --seeds=%u --steps=%u", command.tracker, seed,
            command.steps);
        std::error_code ec;
        std::filesystem::create_directories(out_dir, ec);
        if (absl::Status w = WriteMdevTrace(
                stem + ".trace", MdevTrace{MdevHeader(seed, command.tracker, div, source),
                                           run_events});
            !w.ok()) {
          std::cerr << "iovacheck mdev: " << w.message() << "\n";
          return 2;
        }
        absl::StatusOr<MdevShrinkResult> s = ShrinkMdevRun(command.tracker, run_events);
        if (s.ok()) {
          if (absl::Status w = WriteMdevTrace(
                  stem + ".min.textproto",
                  MdevTrace{MdevHeader(seed, command.tracker, s->divergence,
                                       "shrunk from " + stem + ".trace; " + source),
                            s->events});
              !w.ok()) {
            std::cerr << "iovacheck mdev: " << w.message() << "\n";
            return 2;
          }
          std::cout << "  trace: " << stem << ".trace, minimal: " << stem << ".min.textproto\n";
          std::cout << "  shrunk " << run_events.size() << " -> " << s->events.size()
                    << " events in " << s->replays << " replays"
                    << (s->budget_exhausted ? " (budget exhausted)" : ", 1-minimal") << ":\n";
          for (size_t i = 0; i < s->events.size(); ++i) {
            std::cout << "    #" << i << "  " << MdevEventToString(s->events[i]) << "\n";
          }
          std::cout << "  " << MdevDivergenceToString(s->divergence,
                                                      s->events[s->divergence.event_index])
                    << "\n";
        }
      }
    }
    if (seed == seeds->last) break;
  }
  std::cout << (failed == 0 ? "PASS" : "FAIL") << " mdev, tracker " << command.tracker << ": "
            << run << " seeds run, " << failed << " failed, " << events << " events\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace iovacheck
