// The plug-in's side of an isolated translator: runs in the forked child,
// drives the plug-in's table in-process (c_table_translator.h) and answers
// the parent's calls. Never returns.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CHILD_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CHILD_H_

#include "model/device_config.h"
#include "translator/plugin/iovacheck_plugin.h"

namespace iovacheck {

[[noreturn]] void RunPluginChild(int fd, const iovacheck_plugin* plugin,
                                 const DeviceConfig& config);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_CHILD_H_
