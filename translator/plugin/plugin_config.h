// A device configuration in the plug-in ABI's words and back.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CONFIG_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CONFIG_H_

#include "model/device_config.h"
#include "translator/plugin/iovacheck_plugin.h"

namespace iovacheck {

iovacheck_device_config ToPluginConfig(const DeviceConfig& config);
DeviceConfig FromPluginConfig(const iovacheck_device_config& config);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CONFIG_H_
