// The files a mutation run edits: patterns such as "translator/*.cc",
// relative to the workspace, matched within their own directory (not
// below it), less those matching an exclude pattern (tests, test helpers).
#ifndef IOVACHECK_MUTATE_SOURCE_FILES_H_
#define IOVACHECK_MUTATE_SOURCE_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace iovacheck {

// Sorted, relative to `workspace`. NotFound when a pattern's directory does
// not exist or nothing matches at all.
absl::StatusOr<std::vector<std::string>> FindSourceFiles(
    const std::string& workspace, const std::vector<std::string>& patterns,
    const std::vector<std::string>& excludes);

// The whole content of one file, bytes as they are. NotFound when it cannot
// be read.
absl::StatusOr<std::string> ReadSourceFile(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_MUTATE_SOURCE_FILES_H_
