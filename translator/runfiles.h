// Files of this workspace that a binary carries as Bazel runfiles (data
// dependencies): the QEMU plug-ins, the plug-in build script and its inputs.
#ifndef IOVACHECK_TRANSLATOR_RUNFILES_H_
#define IOVACHECK_TRANSLATOR_RUNFILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace iovacheck {

// The path of `workspace_path` (e.g. "third_party/qemu/qemu-10.0.so") among
// this process's runfiles: under $IOVACHECK_PLUGIN_DIR, $RUNFILES_DIR or
// $TEST_SRCDIR (tests), or BINARY.runfiles beside the binary (`bazel run`).
// NotFound naming the path otherwise.
absl::StatusOr<std::string> FindRunfile(const std::string& workspace_path);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_RUNFILES_H_
