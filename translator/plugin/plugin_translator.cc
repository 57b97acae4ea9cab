#include "translator/plugin/plugin_translator.h"

#include "translator/plugin/plugin_library.h"

namespace iovacheck {

IsolationLimits& PluginIsolationLimits() {
  static auto* limits = new IsolationLimits;
  return *limits;
}

absl::StatusOr<TranslatorFactory> PluginTranslatorFactory(const std::string& path) {
  absl::StatusOr<const iovacheck_plugin*> plugin = LoadPlugin(path);
  if (!plugin.ok()) return plugin.status();
  const iovacheck_plugin* table = *plugin;
  return TranslatorFactory([table](const DeviceConfig& config, IotlbChannel* channel) {
    return IsolatedTranslator::Create(table, PluginIsolationLimits(), config, channel);
  });
}

}  // namespace iovacheck
