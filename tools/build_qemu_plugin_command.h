// iovacheck build-qemu-plugin: a QEMU developer's own tree as a plug-in.
#ifndef IOVACHECK_TOOLS_BUILD_QEMU_PLUGIN_COMMAND_H_
#define IOVACHECK_TOOLS_BUILD_QEMU_PLUGIN_COMMAND_H_

#include <string>

namespace iovacheck {

// Runs tools/build_qemu_plugin.sh (from the runfiles, with the extractor
// built beside iovacheck) on `qemu_src`, writing `output`. Its exit status:
// 0 built, 1 the tree could not be built, 2 bad arguments.
// `cuts`, when not empty, is the list of functions to cut (the script's
// --cuts).
int RunBuildQemuPlugin(const std::string& qemu_src, const std::string& output,
                       const std::string& cuts);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_BUILD_QEMU_PLUGIN_COMMAND_H_
