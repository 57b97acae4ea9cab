#include "translator/registry.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "translator/decoupled_translator.h"
#include "translator/legacy_translator.h"
#include "translator/plugin/plugin_library.h"
#include "translator/plugin/plugin_translator.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

struct Entry {
  const char* name;
  TranslatorFactory factory;
};

const std::vector<Entry>& Entries() {
  // Built once and never destroyed: function-local statics avoid the static
  // initialisation order problem for callers in other translation units.
  static const auto* entries = new std::vector<Entry>{
      {"decoupled", &DecoupledTranslator::Create},
      {"legacy", &LegacyTranslator::Create},
      {"alias-id", &LegacyTranslator::CreateAliasId},
      {"svq-window", &DecoupledTranslator::CreateSvqWindow},
  };
  return *entries;
}

// Plug-ins built with iovacheck from QEMU's own sources: found by their path
// in the workspace, among the running binary's Bazel runfiles.
struct BundledPlugin {
  const char* name;
  const char* path;  // in the workspace
};

constexpr BundledPlugin kBundledPlugins[] = {
    {"qemu-7.2", "third_party/qemu/qemu-7.2.so"},
    {"qemu-10.0", "third_party/qemu/qemu-10.0.so"},
    // QEMU 10.0 with our proposed fixes (docs/findings/).
    {"qemu-10.0-fixed", "third_party/qemu/qemu-10.0-fixed.so"},
};

absl::StatusOr<std::string> FindBundledPlugin(const BundledPlugin& plugin) {
  absl::StatusOr<std::string> path = FindRunfile(plugin.path);
  if (path.ok()) return path;
  return absl::FailedPreconditionError(absl::StrCat(
      "translator ", plugin.name, ": its plug-in ", plugin.path,
      " is not among this binary's runfiles; run it with `bazel run //tools:iovacheck`, or "
      "build it with `bazel build //", plugin.path, "` after tools/fetch_debian_sources.sh "
      "and set IOVACHECK_PLUGIN_DIR to the bazel-bin directory"));
}

// Where the plug-in `name` names is: nullopt when `name` names no plug-in
// ("plugin:PATH", or a bundled plug-in's name), else its path or why it
// cannot be had.
std::optional<absl::StatusOr<std::string>> PluginPath(absl::string_view name) {
  if (absl::StartsWith(name, kPluginPrefix)) {
    return absl::StatusOr<std::string>(std::string(name.substr(sizeof(kPluginPrefix) - 1)));
  }
  for (const BundledPlugin& p : kBundledPlugins) {
    if (name == p.name) return FindBundledPlugin(p);
  }
  return std::nullopt;
}

// The table of the plug-in `name` names, or null for our in-process
// translators and names that cannot be had.
const iovacheck_plugin* PluginTable(absl::string_view name) {
  std::optional<absl::StatusOr<std::string>> path = PluginPath(name);
  if (!path || !path->ok()) return nullptr;
  absl::StatusOr<const iovacheck_plugin*> plugin = LoadPlugin(**path);
  return plugin.ok() ? *plugin : nullptr;
}

}  // namespace

std::string TranslatorFileLabel(absl::string_view name) {
  std::string label(name);
  if (absl::StartsWith(name, kPluginPrefix)) {
    absl::string_view path = name.substr(sizeof(kPluginPrefix) - 1);
    if (size_t slash = path.rfind('/'); slash != absl::string_view::npos) {
      path = path.substr(slash + 1);
    }
    absl::ConsumeSuffix(&path, ".so");
    label = absl::StrCat("plugin-", path);
  }
  for (char& c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      c = '_';
    }
  }
  return label;
}

bool RetriesInterruptedWrites(absl::string_view name) {
  const iovacheck_plugin* plugin = PluginTable(name);
  return plugin == nullptr || (plugin->flags & IOVACHECK_PLUGIN_F_RETRIES_EINTR) != 0;
}

uint64_t AckedBackendFeatures(absl::string_view name) {
  const iovacheck_plugin* plugin = PluginTable(name);
  return plugin == nullptr ? ~uint64_t{0} : plugin->acked_backend_features;
}

std::vector<std::string> TranslatorNames() {
  std::vector<std::string> names;
  for (const Entry& e : Entries()) names.emplace_back(e.name);
  for (const BundledPlugin& p : kBundledPlugins) names.emplace_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<TranslatorFactory> FindTranslator(absl::string_view name) {
  for (const Entry& e : Entries()) {
    if (name == e.name) return e.factory;
  }
  if (std::optional<absl::StatusOr<std::string>> path = PluginPath(name)) {
    if (!path->ok()) return path->status();
    return PluginTranslatorFactory(**path);
  }
  return absl::NotFoundError(absl::StrCat("unknown translator \"", name, "\"; known: ",
                                          absl::StrJoin(TranslatorNames(), ", "),
                                          ", or plugin:PATH.so"));
}

}  // namespace iovacheck
