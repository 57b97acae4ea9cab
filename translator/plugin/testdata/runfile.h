// The path of a file of this workspace among a Bazel test's runfiles.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_TESTDATA_RUNFILE_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_TESTDATA_RUNFILE_H_

#include <cstdlib>
#include <string>

namespace iovacheck {

inline std::string Runfile(const std::string& workspace_path) {
  const char* root = std::getenv("TEST_SRCDIR");
  return std::string(root != nullptr ? root : ".") + "/iovacheck/" + workspace_path;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_TESTDATA_RUNFILE_H_
