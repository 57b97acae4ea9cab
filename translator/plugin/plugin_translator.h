// Translators that are plug-ins: a shared object named by path, loaded and
// checked here, each instance run in a child process of its own.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_TRANSLATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "translator/plugin/isolated_translator.h"
#include "translator/translator.h"

namespace iovacheck {

// The prefix that names a plug-in where a translator is named:
// "plugin:/path/to/translator.so".
inline constexpr char kPluginPrefix[] = "plugin:";

// A factory for the plug-in at `path`, or the loader's one-line refusal
// (plugin_library.h). Instances use the process-wide limits below as they
// are when each instance is made.
absl::StatusOr<TranslatorFactory> PluginTranslatorFactory(const std::string& path);

// The hang limits for plug-in calls in this process (set from the command
// line; tests lower them).
IsolationLimits& PluginIsolationLimits();

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_TRANSLATOR_H_
