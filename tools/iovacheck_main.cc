// iovacheck: checks vhost-vdpa IOVA translators against a reference model and
// an emulated vDPA IOTLB. One subcommand per job; each lives in its own file.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "devices/isolated_kernel_device.h"
#include "props/property_runner.h"
#include "tools/build_qemu_plugin_command.h"
#include "tools/campaign_command.h"
#include "tools/merge_command.h"
#include "tools/check_command.h"
#include "tools/command_line.h"
#include "tools/demo_command.h"
#include "tools/device_diff_command.h"
#include "tools/import_qemu_command.h"
#include "tools/map_command.h"
#include "tools/mdev_command.h"
#include "tools/promote_command.h"
#include "tools/replay_command.h"
#include "tools/show_command.h"
#include "tools/shrink_command.h"
#include "tools/simulate_command.h"
#include "traces/temp_files.h"
#include "translator/plugin/plugin_translator.h"
#include "translator/registry.h"

ABSL_FLAG(std::string, translator, "decoupled",
          "translator(s): decoupled, legacy, alias-id, svq-window, qemu-7.2, qemu-10.0 or plugin:PATH.so "
          "(check takes a comma-separated list)");
ABSL_FLAG(double, plugin_cpu_seconds, 10,
          "plug-ins and Linux's code as the device: CPU seconds one call may use before it "
          "is a HANG verdict");
ABSL_FLAG(double, plugin_wall_seconds, 120,
          "plug-ins and Linux's code as the device: seconds one call may wait without an "
          "answer before it is a HANG verdict");
ABSL_FLAG(std::string, device, "",
          "the device every run talks to: emulated (default), linux-6.1 or linux-6.12 "
          "(Linux's own vhost-vdpa code over vdpa_sim); replay defaults to the trace's");
ABSL_FLAG(uint64_t, messages, 200000,
          "device-diff: write() messages to compare at least (DMAs, resets and reopens come "
          "on top)");
ABSL_FLAG(uint64_t, run_length, 2000, "device-diff: operations per run on fresh devices");
ABSL_FLAG(std::string, tracker, "",
          "mdev: the vendor driver's tracker (iovacheck --help lists them)");
ABSL_FLAG(int, cases, 2000,
          "check: generated sequences per property (default: each property's own; "
          "IOVACHECK_CASES too)");
ABSL_FLAG(int, max_length, 200,
          "check: how long a generated sequence may grow, about that many commands (default: "
          "each property's own; IOVACHECK_MAX_LENGTH too)");
ABSL_FLAG(std::string, features, "all",
          "check: the backend features generated devices may offer, e.g. v2,batch (default: "
          "each property's own; IOVACHECK_FEATURES too)");
ABSL_FLAG(std::string, device_kind, "any",
          "check: the device kind generated, dma_map, set_map or any (default: each "
          "property's own; IOVACHECK_DEVICE_KIND too)");
ABSL_FLAG(uint64_t, seed, iovacheck::kDefaultSeed, "check: seed of the generated sequences");
ABSL_FLAG(std::string, property, "", "check: run only this property");
ABSL_FLAG(std::string, reproduce, "",
          "check: RapidCheck reproduce string printed by an earlier failure");
ABSL_FLAG(bool, strict, false,
          "replay: demand QEMU's first-fit IOVAs (default: as the trace says); "
          "import-qemu: a malformed line is fatal");
ABSL_FLAG(bool, recorded, false,
          "replay, shrink: judge the outputs recorded in the trace instead of a translator");
ABSL_FLAG(std::string, o, "",
          "import-qemu, shrink: the trace to write; build-qemu-plugin: the plug-in");
ABSL_FLAG(bool, force, false,
          "simulate, shrink, import-qemu, build-qemu-plugin: replace an existing -o file");
ABSL_FLAG(std::string, qemu_src, "", "build-qemu-plugin: the QEMU source tree");
ABSL_FLAG(std::string, cuts, "",
          "build-qemu-plugin: the functions to cut (third_party/qemu/cuts-*.txt's format), "
          "when the tree adds or renames some");
ABSL_FLAG(uint64_t, max_failures_kept, 10000,
          "campaign: failing seeds whose reports are kept and printed, the lowest; the rest "
          "are counted (memory stays bounded over millions of seeds)");
ABSL_FLAG(uint64_t, max_replays, 0,
          "shrink: stop after this many candidate replays (a bound in work, so the result "
          "is the same on any machine); 0: none");
ABSL_FLAG(double, budget, 60,
          "shrink: seconds to spend before printing the best so far; campaign, demo: "
          "per failing seed (default there: 20)");
ABSL_FLAG(std::string, name, "", "promote: the regression case's name");
ABSL_FLAG(uint64_t, at, 0,
          "map: draw the moment after this event (counted from 0; default: the first "
          "divergence, else the last event)");
ABSL_FLAG(std::string, scenario, "", "simulate: the scenario (default: the first registered)");
ABSL_FLAG(uint64_t, steps, 200, "simulate: lifecycle steps per run");
ABSL_FLAG(bool, faults, true, "simulate: let the seed enable fault sites");
ABSL_FLAG(bool, full_oracle, false,
          "simulate, campaign: also sweep every live mapping after every event, a check of "
          "the incremental oracle (a run where they disagree is an error)");
ABSL_FLAG(bool, coverage, false,
          "simulate, campaign, check: print what the run exercised (event kinds, oracle "
          "rules, fault sites, situations) and the known situations it never reached");
ABSL_FLAG(std::string, coverage_json, "",
          "simulate, campaign, check: write the same as JSON to this file");
ABSL_FLAG(std::string, report, "",
          "campaign: write DIR/index.html, one self-contained page of the verdicts, coverage "
          "and shrunk failures with their maps");
ABSL_FLAG(std::string, seeds, "",
          "campaign: the seeds, A..B inclusive; demo: seeds per scenario (N: 1..N)");
ABSL_FLAG(int, jobs, 2, "campaign, demo: worker threads");
ABSL_FLAG(uint64_t, max_shrinks, UINT64_MAX,
          "campaign: write and shrink the traces of at most this many failing seeds "
          "(the first ones); the others are listed");
ABSL_FLAG(std::string, shard, "",
          "campaign: run shard I of N (I/N, I from 0): the seeds s with s % N == I, and "
          "write the shard's result as JSON for `merge` (default: from TEST_SHARD_INDEX/"
          "TEST_TOTAL_SHARDS or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set)");
ABSL_FLAG(std::string, shard_result, "",
          "campaign: where a shard's JSON result goes (default OUT_DIR/shard-I-of-N.json, "
          "OUT_DIR the --out_dir or the current directory)");
ABSL_FLAG(std::string, out_dir, "",
          "campaign, demo, check: where failing and minimal traces (and their maps) go "
          "(default campaign-SCENARIO, iovacheck-demo, iovacheck-check)");

namespace {

constexpr char kUsage[] =
    "iovacheck COMMAND [flags]\n"
    "\n"
    "commands:\n"
    "  check --translator=NAME[,NAME] [--cases=N] [--seed=S] [--property=P]\n"
    "        run the properties against translators; print a verdict per\n"
    "        property and, for a failure, the minimal failing sequence.\n"
    "  replay TRACE [--translator=NAME] [--strict] [--recorded]\n"
    "        re-drive a translator (or the recorded outputs) with a trace,\n"
    "        checking the oracle at every step; an mdev trace re-drives a\n"
    "        tracker (--tracker=NAME, default the one that made it).\n"
    "  show TRACE\n"
    "        print a trace, one event per line.\n"
    "  map TRACE -o FILE.svg [--at=N] [--translator=NAME] [--recorded]\n"
    "        draw GPA, HVA and IOVA space side by side after event N (default:\n"
    "        the first divergence, else the end): sections, host buffers, IOTLB\n"
    "        entries, aliases, and what is wrong in red.\n"
    "  import-qemu LOG -o TRACE [--strict]\n"
    "        turn a QEMU -trace 'vhost_vdpa_*' log into a trace.\n"
    "  shrink FAILING -o MINIMAL [--translator=NAME] [--recorded] [--budget=SECONDS]\n"
    "        shrink a failing trace to a 1-minimal one that fails the same way\n"
    "        (same oracle rule, same kind of event); the translator defaults to\n"
    "        the one the trace's header says fails it. An mdev trace is shrunk\n"
    "        against a tracker (--tracker=NAME, default the one that made it).\n"
    "  promote MINIMAL --name=NAME\n"
    "        add a trace to traces/regressions/NAME.textproto, replayed by the\n"
    "        regression tests from then on; never overwrites a case.\n"
    "  simulate [--scenario=NAME] [--seed=S] [--steps=N] [--translator=NAME]\n"
    "           [-o TRACE] [--faults=true|false] [--full_oracle]\n"
    "           [--coverage] [--coverage_json=FILE]\n"
    "        one deterministic simulated VM lifecycle (scenarios: q35, hotplug,\n"
    "        migration, viommu); a failure's trace goes to -o or\n"
    "        SCENARIO-seedS-TRANSLATOR.trace.\n"
    "  campaign --seeds=A..B [--scenario=NAME] [--translator=NAME] [--jobs=J]\n"
    "           [--steps=N] [--out_dir=DIR] [--budget=SECONDS]\n"
    "           [--coverage] [--coverage_json=FILE] [--report=DIR]\n"
    "        simulate many seeds; each failing seed's trace and its shrunk,\n"
    "        minimal trace (and its map) go to DIR (default campaign-SCENARIO);\n"
    "        --scenario=a,b or all runs several; --report writes DIR/index.html.\n"
    "        --shard=I/N (or a job engine's variables: Bazel's test sharding,\n"
    "        a Slurm job array) runs one slice and writes its JSON result.\n"
    "  merge RESULT|DIR...\n"
    "        combine the shard results of a campaign (files, or every\n"
    "        shard-*.json in a directory) into one verdict.\n"
    "  mdev --tracker=NAME --seeds=A..B [--steps=N] [--max_shrinks=K] [--out_dir=DIR]\n"
    "        VFIO mdev: the mdev scenario against a vendor driver's tracker\n"
    "        (mdev-tree-pin-all, mdev-tree-pin-sparse, mdev-array-pin-all,\n"
    "        mdev-array-pin-sparse; mdev-tree-forgets-unpin is wrong on\n"
    "        purpose), held to VFIO type1; failing runs shrunk, both traces\n"
    "        written to DIR (default mdev-TRACKER).\n"
    "  demo [--seeds=N] [--jobs=J] [--out_dir=DIR] [--translator=NAME]\n"
    "        every scenario against decoupled (or NAME; seeds 1..N), then legacy,\n"
    "        qemu-7.2 and qemu-10.0 until their first failing seed, shrunk and\n"
    "        saved under DIR.\n"
    "\n"
    "  device-diff --device=linux-6.12 [--messages=N] [--seed=S] [--run_length=L]\n"
    "        compare the emulated device with Linux's own code, operation by\n"
    "        operation; print the first disagreement, shrunk\n"
    "  build-qemu-plugin --qemu-src=DIR -o FILE.so [--cuts=FILE]\n"
    "        build QEMU's vhost-vdpa code in DIR (a 7.2- or 10.0-like tree, e.g.\n"
    "        your own patched checkout) as a plug-in: then\n"
    "        --translator=plugin:FILE.so (docs/plugins.md).\n"
    "\n"
    "Every command that takes --translator also takes plugin:PATH.so, a plug-in\n"
    "(docs/plugins.md), run in a child process: a crash or hang in it is a\n"
    "verdict (--plugin_cpu_seconds, --plugin_wall_seconds).\n"
    "\n"
    "exit status: 0 all held (shrink, promote: written), 1 a bug was found,\n"
    "2 bad arguments or input.";

// Whether --NAME (or -NAME) appears before a "--" that ends the flags. This
// absl has no public IsSpecifiedOnCommandLine.
bool FlagGiven(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) == 0) {
      arg = arg.substr(2);
    } else if (arg.rfind("-", 0) == 0) {
      arg = arg.substr(1);
    } else {
      continue;
    }
    if (arg == name || arg.rfind(name + "=", 0) == 0) return true;
  }
  return false;
}

int Usage(const std::string& problem) {
  std::cerr << "iovacheck: " << problem << "\n\n" << kUsage << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // `bazel run` starts us in the runfiles tree; the user's relative paths
  // mean the directory they ran it from.
  if (const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (chdir(cwd) != 0) return Usage(std::string("cannot enter ") + cwd);
  }
  absl::SetProgramUsageMessage(kUsage);
  // An interrupted run takes its temporary files with it.
  iovacheck::RemoveTempFilesOnSignals();
  // --qemu-src, as QEMU's own configure spells its options, is --qemu_src.
  std::vector<std::string> respelled;
  respelled.reserve(argc);  // argv keeps pointers into it
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--qemu-src", 0) == 0) {
      respelled.push_back("--qemu_src" + arg.substr(10));
      argv[i] = respelled.back().data();
    }
  }
  // Ours to answer before absl would (exit 1, every flag of every command).
  if (iovacheck::WantsHelp(argc, argv)) {
    const std::string command = iovacheck::CommandWord(argc, argv);
    if (command.empty()) {
      std::cout << kUsage << "\n";
      return 0;
    }
    const std::string help = iovacheck::CommandFlagsHelp(command);
    if (help.empty()) {
      std::cerr << "iovacheck: unknown command '" << command << "' (iovacheck --help)\n";
      return 2;
    }
    std::cout << help;
    return 0;
  }
  if (absl::Status s = iovacheck::CheckFlags(argc, argv); !s.ok()) {
    std::cerr << "iovacheck: " << s.message() << " (iovacheck --help, or COMMAND --help)\n";
    return 2;
  }
  const bool translator_given = FlagGiven(argc, argv, "translator");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // One rule for every command that runs the simulator (its default is 200).
  if (FlagGiven(argc, argv, "steps") && absl::GetFlag(FLAGS_steps) == 0) {
    std::cerr << "iovacheck: --steps must be at least 1\n";
    return 2;
  }
  if (args.size() < 2) return Usage("no command");
  const std::string command = args[1];
  const std::vector<std::string> operands(args.begin() + 2, args.end());
  if (absl::Status s = iovacheck::CheckOutputFree(absl::GetFlag(FLAGS_o),
                                                  absl::GetFlag(FLAGS_force));
      !s.ok()) {
    std::cerr << "iovacheck: " << s.message() << "\n";
    return 2;
  }

  iovacheck::IsolationLimits& limits = iovacheck::PluginIsolationLimits();
  limits.cpu_seconds = absl::GetFlag(FLAGS_plugin_cpu_seconds);
  limits.wall_seconds = absl::GetFlag(FLAGS_plugin_wall_seconds);
  if (!(limits.cpu_seconds > 0) || !(limits.wall_seconds > 0)) {
    return Usage("--plugin_cpu_seconds and --plugin_wall_seconds want positive numbers");
  }
  // Linux's code as the device is foreign code too: the same limits.
  iovacheck::KernelDeviceLimits().cpu_seconds = limits.cpu_seconds;
  iovacheck::KernelDeviceLimits().wall_seconds = limits.wall_seconds;
  // A translator that cannot be had (an unknown name, a plug-in that is
  // missing, not a shared object, without the entry point or of another ABI
  // version) is one line and exit 2, whatever the command.
  if (translator_given) {
    for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_translator), ',',
                                                 absl::SkipWhitespace())) {
      absl::StatusOr<iovacheck::TranslatorFactory> found = iovacheck::FindTranslator(name);
      if (!found.ok()) {
        std::cerr << "iovacheck: " << found.status().message() << "\n";
        return 2;
      }
    }
  }

  // --device names the device of every run; replay defaults to the trace's.
  const std::string device = absl::GetFlag(FLAGS_device);
  if (!device.empty()) {
    if (absl::Status s = iovacheck::CheckDeviceName(device); !s.ok()) {
      std::cerr << "iovacheck: --device: " << s.message() << "\n";
      return 2;
    }
  }
  const std::string run_device = device.empty() ? "emulated" : device;

  if (command == "check") {
    if (!operands.empty()) return Usage("check takes no operands");
    iovacheck::CheckOptions options;
    options.translators = absl::StrSplit(absl::GetFlag(FLAGS_translator), ',',
                                         absl::SkipWhitespace());
    if (FlagGiven(argc, argv, "cases")) options.command_line.cases = absl::GetFlag(FLAGS_cases);
    if (FlagGiven(argc, argv, "max_length")) {
      options.command_line.max_length = absl::GetFlag(FLAGS_max_length);
    }
    if (FlagGiven(argc, argv, "device_kind")) {
      options.command_line.device_kind = absl::GetFlag(FLAGS_device_kind);
    }
    if (FlagGiven(argc, argv, "features")) {
      options.command_line.features = absl::GetFlag(FLAGS_features);
    }
    options.seed = absl::GetFlag(FLAGS_seed);
    options.property = absl::GetFlag(FLAGS_property);
    options.reproduce = absl::GetFlag(FLAGS_reproduce);
    options.device = run_device;
    if (!absl::GetFlag(FLAGS_out_dir).empty()) options.out_dir = absl::GetFlag(FLAGS_out_dir);
    options.coverage.print = absl::GetFlag(FLAGS_coverage);
    options.coverage.json_path = absl::GetFlag(FLAGS_coverage_json);
    return iovacheck::RunCheck(options);
  }
  if (command == "replay") {
    if (operands.size() != 1) return Usage("replay takes one TRACE");
    std::optional<bool> strict;
    if (absl::GetFlag(FLAGS_strict)) strict = true;
    return iovacheck::RunReplay(operands[0], absl::GetFlag(FLAGS_translator),
                                absl::GetFlag(FLAGS_recorded), strict, device,
                                absl::GetFlag(FLAGS_tracker));
  }
  if (command == "show") {
    if (operands.size() != 1) return Usage("show takes one TRACE");
    return iovacheck::RunShow(operands[0]);
  }
  if (command == "map") {
    if (operands.size() != 1) return Usage("map takes one TRACE");
    iovacheck::MapCommand map;
    map.trace = operands[0];
    map.output = absl::GetFlag(FLAGS_o);
    if (FlagGiven(argc, argv, "at")) map.at = absl::GetFlag(FLAGS_at);
    if (translator_given) map.translator = absl::GetFlag(FLAGS_translator);
    map.recorded = absl::GetFlag(FLAGS_recorded);
    map.device = device;
    return iovacheck::RunMap(map);
  }
  if (command == "import-qemu") {
    if (operands.size() != 1) return Usage("import-qemu takes one LOG");
    return iovacheck::RunImportQemu(operands[0], absl::GetFlag(FLAGS_o),
                                    absl::GetFlag(FLAGS_strict));
  }
  if (command == "shrink") {
    if (operands.size() != 1) return Usage("shrink takes one FAILING trace");
    iovacheck::ShrinkCommand shrink;
    shrink.input = operands[0];
    shrink.output = absl::GetFlag(FLAGS_o);
    // Unset, the trace's header names the translator that fails it.
    if (translator_given) {
      shrink.translator = absl::GetFlag(FLAGS_translator);
    }
    shrink.recorded = absl::GetFlag(FLAGS_recorded);
    shrink.tracker = absl::GetFlag(FLAGS_tracker);
    shrink.budget_seconds = absl::GetFlag(FLAGS_budget);
    shrink.max_replays = absl::GetFlag(FLAGS_max_replays);
    shrink.progress = isatty(STDERR_FILENO) != 0;
    return iovacheck::RunShrink(shrink);
  }
  if (command == "promote") {
    if (operands.size() != 1) return Usage("promote takes one MINIMAL trace");
    iovacheck::PromoteCommand promote;
    promote.minimal = operands[0];
    promote.name = absl::GetFlag(FLAGS_name);
    // `bazel run` says where the source tree is; otherwise run from its root.
    const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    promote.regressions_dir =
        std::string(workspace != nullptr ? workspace : ".") + "/traces/regressions";
    promote.now = absl::Now();
    return iovacheck::RunPromote(promote);
  }
  if (command == "simulate") {
    if (!operands.empty()) return Usage("simulate takes no operands");
    iovacheck::SimulateCommand simulate;
    simulate.scenario = absl::GetFlag(FLAGS_scenario);
    simulate.seed = absl::GetFlag(FLAGS_seed);
    simulate.steps = absl::GetFlag(FLAGS_steps);
    simulate.translator = absl::GetFlag(FLAGS_translator);
    simulate.device = run_device;
    simulate.output = absl::GetFlag(FLAGS_o);
    simulate.faults = absl::GetFlag(FLAGS_faults);
    simulate.full_oracle = absl::GetFlag(FLAGS_full_oracle);
    simulate.coverage.print = absl::GetFlag(FLAGS_coverage);
    simulate.coverage.json_path = absl::GetFlag(FLAGS_coverage_json);
    return iovacheck::RunSimulate(simulate);
  }
  // Shrinking a campaign's failures: --budget per seed, if given.
  const double shrink_budget =
      FlagGiven(argc, argv, "budget") ? absl::GetFlag(FLAGS_budget) : 20;
  if (command == "campaign") {
    if (!operands.empty()) return Usage("campaign takes no operands");
    iovacheck::CampaignCommand campaign;
    campaign.scenario = absl::GetFlag(FLAGS_scenario);
    campaign.seeds = absl::GetFlag(FLAGS_seeds);
    campaign.translator = absl::GetFlag(FLAGS_translator);
    campaign.device = run_device;
    campaign.jobs = absl::GetFlag(FLAGS_jobs);
    campaign.steps = absl::GetFlag(FLAGS_steps);
    campaign.faults = absl::GetFlag(FLAGS_faults);
    campaign.full_oracle = absl::GetFlag(FLAGS_full_oracle);
    campaign.coverage.print = absl::GetFlag(FLAGS_coverage);
    campaign.coverage.json_path = absl::GetFlag(FLAGS_coverage_json);
    campaign.report_dir = absl::GetFlag(FLAGS_report);
    campaign.out_dir = absl::GetFlag(FLAGS_out_dir);
    campaign.budget_seconds = shrink_budget;
    campaign.max_shrinks = absl::GetFlag(FLAGS_max_shrinks);
    campaign.max_failures_kept = absl::GetFlag(FLAGS_max_failures_kept);
    campaign.progress = isatty(STDERR_FILENO) != 0;
    campaign.shard = absl::GetFlag(FLAGS_shard);
    campaign.shard_result = absl::GetFlag(FLAGS_shard_result);
    return iovacheck::RunCampaignCommand(campaign);
  }
  if (command == "merge") {
    return iovacheck::RunMergeCommand(operands);
  }
  if (command == "mdev") {
    if (!operands.empty()) return Usage("mdev takes no operands");
    iovacheck::MdevCommand mdev;
    mdev.tracker = absl::GetFlag(FLAGS_tracker);
    mdev.seeds = absl::GetFlag(FLAGS_seeds);
    if (FlagGiven(argc, argv, "steps")) mdev.steps = absl::GetFlag(FLAGS_steps);
    if (FlagGiven(argc, argv, "max_shrinks")) mdev.max_shrinks = absl::GetFlag(FLAGS_max_shrinks);
    mdev.out_dir = absl::GetFlag(FLAGS_out_dir);
    return iovacheck::RunMdevCommand(mdev);
  }
  if (command == "device-diff") {
    if (!operands.empty()) return Usage("device-diff takes no operands");
    return iovacheck::RunDeviceDiff(absl::GetFlag(FLAGS_device), absl::GetFlag(FLAGS_messages),
                                    absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_run_length));
  }
  if (command == "build-qemu-plugin") {
    if (!operands.empty()) return Usage("build-qemu-plugin takes no operands");
    return iovacheck::RunBuildQemuPlugin(absl::GetFlag(FLAGS_qemu_src), absl::GetFlag(FLAGS_o),
                                         absl::GetFlag(FLAGS_cuts));
  }
  if (command == "demo") {
    if (!operands.empty()) return Usage("demo takes no operands");
    iovacheck::DemoCommand demo;
    if (!absl::GetFlag(FLAGS_seeds).empty()) demo.seeds = absl::GetFlag(FLAGS_seeds);
    demo.jobs = absl::GetFlag(FLAGS_jobs);
    if (translator_given) demo.translator = absl::GetFlag(FLAGS_translator);
    demo.device = run_device;
    demo.steps = absl::GetFlag(FLAGS_steps);
    if (!absl::GetFlag(FLAGS_out_dir).empty()) demo.out_dir = absl::GetFlag(FLAGS_out_dir);
    demo.budget_seconds = shrink_budget;
    demo.progress = isatty(STDERR_FILENO) != 0;
    return iovacheck::RunDemo(demo);
  }
  return Usage("unknown command '" + command + "'");
}
