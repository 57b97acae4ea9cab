// Loading a plug-in's shared object and checking that it speaks our ABI.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_LIBRARY_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_LIBRARY_H_

#include <string>

#include "absl/status/statusor.h"
#include "translator/plugin/iovacheck_plugin.h"

namespace iovacheck {

// dlopens `path` (once per process; later calls return the same table) and
// returns its function table. FailedPrecondition with one line naming the
// path when the file is missing, is not a shared object, lacks the entry
// point, returns no table, speaks another ABI version or has a short table.
// The library's own constructors run in this process.
absl::StatusOr<const iovacheck_plugin*> LoadPlugin(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_LIBRARY_H_
