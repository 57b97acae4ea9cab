#include "tools/command_line.h"

#include <sys/stat.h>

#include <map>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace iovacheck {
namespace {

// The flags each command reads (iovacheck_main.cc hands them over).
const std::map<std::string, std::vector<std::string>>& CommandFlags() {
  static const auto* flags = new std::map<std::string, std::vector<std::string>>{
      {"check",
       {"translator", "cases", "max_length", "device_kind", "features", "seed", "property",
        "reproduce",
        "device", "out_dir", "coverage", "coverage_json", "plugin_cpu_seconds",
        "plugin_wall_seconds"}},
      {"replay",
       {"translator", "strict", "recorded", "device", "tracker", "plugin_cpu_seconds",
        "plugin_wall_seconds"}},
      {"show", {}},
      {"map",
       {"o", "force", "at", "translator", "recorded", "device", "plugin_cpu_seconds",
        "plugin_wall_seconds"}},
      {"import-qemu", {"o", "force", "strict"}},
      {"shrink",
       {"o", "force", "translator", "tracker", "recorded", "budget", "max_replays",
        "plugin_cpu_seconds",
        "plugin_wall_seconds"}},
      {"promote", {"name"}},
      {"simulate",
       {"scenario", "seed", "steps", "translator", "device", "o", "force", "faults", "full_oracle",
        "coverage", "coverage_json", "plugin_cpu_seconds", "plugin_wall_seconds"}},
      {"campaign",
       {"seeds", "scenario", "translator", "device", "jobs", "steps", "faults", "full_oracle",
        "coverage", "coverage_json", "report", "out_dir", "budget", "max_shrinks", "max_failures_kept",
        "plugin_cpu_seconds", "plugin_wall_seconds"}},
      {"mdev", {"tracker", "seeds", "steps", "max_shrinks", "out_dir"}},
      {"demo",
       {"seeds", "jobs", "translator", "device", "steps", "out_dir", "budget", "plugin_cpu_seconds",
        "plugin_wall_seconds"}},
      {"device-diff",
       {"device", "messages", "seed", "run_length", "plugin_cpu_seconds", "plugin_wall_seconds"}},
      {"build-qemu-plugin", {"qemu_src", "o", "force", "cuts"}},
  };
  return *flags;
}

// What absl would do with these itself (print and exit 1): ours to answer.
bool IsHelpFlag(absl::string_view name) {
  return name == "help" || name == "h" || name == "helpfull" || name == "helpshort" ||
         name == "helppackage" || name == "helpon" || name == "helpmatch";
}

// "--name=value" or "-name" -> name (and value, when given with '=').
bool SplitFlag(absl::string_view arg, absl::string_view* name, absl::string_view* value,
               bool* has_value) {
  if (!absl::ConsumePrefix(&arg, "--") && !absl::ConsumePrefix(&arg, "-")) return false;
  if (arg.empty()) return false;
  const size_t eq = arg.find('=');
  *has_value = eq != absl::string_view::npos;
  *name = arg.substr(0, eq);
  *value = *has_value ? arg.substr(eq + 1) : absl::string_view();
  return true;
}

}  // namespace

absl::Status CheckFlags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    absl::string_view name, value;
    bool has_value = false;
    if (!SplitFlag(arg, &name, &value, &has_value)) continue;
    if (IsHelpFlag(name)) continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) continue;
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat("unknown flag %s", arg));
    }
    std::string given(value);
    if (!has_value) {
      if (flag->IsOfType<bool>()) continue;
      // "--steps 10": the value is the next argument.
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrFormat("%s wants a value", arg));
      }
      given = argv[++i];
    }
    std::string error;
    // Parsed into the flag (absl parses the same text again right after).
    if (!flag->ParseFrom(given, &error)) {
      return absl::InvalidArgumentError(absl::StrFormat("--%s=%s: %s", name, given, error));
    }
  }
  return absl::OkStatus();
}

bool WantsHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "help") return true;
    absl::string_view name, value;
    bool has_value = false;
    if (SplitFlag(arg, &name, &value, &has_value) && IsHelpFlag(name)) return true;
  }
  return false;
}

std::string CommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") return i + 1 < argc ? argv[i + 1] : "";
    if (absl::StartsWith(arg, "-") || arg == "help") {
      // A non-bool flag given as "--name value" takes the next word.
      absl::string_view name, value;
      bool has_value = false;
      if (SplitFlag(arg, &name, &value, &has_value) && !has_value && !IsHelpFlag(name)) {
        absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
        if (flag != nullptr && !flag->IsOfType<bool>()) ++i;
      }
      continue;
    }
    return std::string(arg);
  }
  return "";
}

absl::Status CheckOutputFree(const std::string& path, bool force) {
  if (path.empty()) return absl::OkStatus();
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (force || !S_ISREG(st.st_mode)) return absl::OkStatus();
    return absl::AlreadyExistsError(absl::StrFormat("%s exists; --force replaces it", path));
  }
  // Said before the run rather than after it: a long simulation whose trace
  // then has nowhere to go is time lost.
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrFormat("%s: cannot write it: directory %s does not exist", path, dir));
  }
  return absl::OkStatus();
}

std::string CommandFlagsHelp(const std::string& command) {
  auto it = CommandFlags().find(command);
  if (it == CommandFlags().end()) return "";
  std::string out = absl::StrFormat("iovacheck %s flags:\n", command);
  if (it->second.empty()) out += "  (none)\n";
  for (const std::string& name : it->second) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    absl::StrAppendFormat(&out, "  --%s (default: %s)\n      %s\n", name,
                          flag->DefaultValue().empty() ? "\"\"" : flag->DefaultValue(),
                          flag->Help());
  }
  return out;
}

}  // namespace iovacheck
