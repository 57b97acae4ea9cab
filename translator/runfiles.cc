#include "translator/runfiles.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace iovacheck {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

absl::StatusOr<std::string> FindRunfile(const std::string& workspace_path) {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("IOVACHECK_PLUGIN_DIR"); dir != nullptr && *dir != '\0') {
    candidates.push_back(absl::StrCat(dir, "/", workspace_path));
  }
  for (const char* var : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') {
      candidates.push_back(absl::StrCat(v, "/iovacheck/", workspace_path));
    }
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    candidates.push_back(absl::StrCat(std::string(exe, static_cast<size_t>(n)),
                                      ".runfiles/iovacheck/", workspace_path));
  }
  for (const std::string& c : candidates) {
    if (Exists(c)) return c;
  }
  return absl::NotFoundError(
      absl::StrCat(workspace_path, " is not among this binary's runfiles"));
}

}  // namespace iovacheck
