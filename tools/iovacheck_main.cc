// iovacheck: checks vhost-vdpa IOVA translators against a reference model and
// an emulated vDPA IOTLB. One subcommand per job.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "props/property_runner.h"
#include "tools/check_command.h"

ABSL_FLAG(std::string, translator, "decoupled",
          "translator(s) to check, comma separated: decoupled, legacy");
ABSL_FLAG(int, cases, 2000, "generated sequences per property");
ABSL_FLAG(uint64_t, seed, iovacheck::kDefaultSeed, "seed of the generated sequences");
ABSL_FLAG(std::string, property, "", "run only this property");
ABSL_FLAG(std::string, reproduce, "",
          "RapidCheck reproduce string printed by an earlier failure");

namespace {

constexpr char kUsage[] =
    "iovacheck COMMAND [flags]\n"
    "\n"
    "commands:\n"
    "  check --translator=NAME[,NAME] [--cases=N] [--seed=S] [--property=P]\n"
    "        run the properties against translators; print a verdict per\n"
    "        property and, for a failure, the minimal failing sequence.\n"
    "\n"
    "exit status: 0 all held, 1 a bug was found, 2 bad arguments or input.";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << kUsage << "\n";
    return 2;
  }
  const std::string command = args[1];
  if (args.size() > 2) {
    std::cerr << "iovacheck " << command << ": unexpected argument '" << args[2] << "'\n";
    return 2;
  }
  if (command == "check") {
    iovacheck::CheckOptions options;
    options.translators = absl::StrSplit(absl::GetFlag(FLAGS_translator), ',',
                                         absl::SkipWhitespace());
    options.cases = absl::GetFlag(FLAGS_cases);
    options.seed = absl::GetFlag(FLAGS_seed);
    options.property = absl::GetFlag(FLAGS_property);
    options.reproduce = absl::GetFlag(FLAGS_reproduce);
    return iovacheck::RunCheck(options);
  }
  std::cerr << "iovacheck: unknown command '" << command << "'\n\n" << kUsage << "\n";
  return 2;
}
