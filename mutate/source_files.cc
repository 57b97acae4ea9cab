#include "mutate/source_files.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace iovacheck {

absl::StatusOr<std::vector<std::string>> FindSourceFiles(
    const std::string& workspace, const std::vector<std::string>& patterns,
    const std::vector<std::string>& excludes) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& pattern : patterns) {
    const size_t slash = pattern.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : pattern.substr(0, slash);
    const std::string name = slash == std::string::npos ? pattern : pattern.substr(slash + 1);
    std::error_code ec;
    fs::directory_iterator it(fs::path(workspace) / dir, ec);
    if (ec) return absl::NotFoundError(absl::StrCat(pattern, ": ", dir, ": ", ec.message()));
    for (const fs::directory_entry& e : it) {
      if (!e.is_regular_file()) continue;
      const std::string file = e.path().filename().string();
      if (fnmatch(name.c_str(), file.c_str(), 0) != 0) continue;
      bool excluded = false;
      for (const std::string& x : excludes) excluded |= fnmatch(x.c_str(), file.c_str(), 0) == 0;
      if (!excluded) out.push_back(dir.empty() ? file : absl::StrCat(dir, "/", file));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty()) return absl::NotFoundError("no source file matches the patterns");
  return out;
}

absl::StatusOr<std::string> ReadSourceFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace iovacheck
