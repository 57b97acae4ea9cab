// Where an output file goes and how it gets there, for every file iovacheck
// writes (traces, maps, reports). A regular file, or none yet, is written to
// a temporary file beside it and renamed into place: a reader never sees
// half of it, an interrupted run leaves nothing under the final name, and a
// symbolic link stays one (its target is replaced). A device or a pipe
// (`-o /dev/stdout`) is written straight through. A new file gets the mode
// the umask gives; a replaced one keeps its own.
#ifndef IOVACHECK_TRACES_OUTPUT_FILE_H_
#define IOVACHECK_TRACES_OUTPUT_FILE_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace iovacheck {

// The process's umask, read without changing it.
mode_t CurrentUmask();

// A new empty file beside `path` (path + tag + "-XXXXXX", so that a rename
// puts it in place) with `mode`, registered for removal on a signal
// (traces/temp_files.h). Errors name the path and say whether its directory
// is missing or not writable.
absl::StatusOr<std::string> TempFileBeside(const std::string& path, const char* tag, mode_t mode);

// Where writing `path` goes, as described above: `temp` empty, straight
// into `target` (a device, a pipe: `path` itself); else into `temp`, a new
// file beside `target` (`path`, or a symbolic link's target) that the writer
// renames over it once complete. A directory is an error naming the path.
struct OutputPlace {
  std::string target;
  std::string temp;
};
absl::StatusOr<OutputPlace> PlaceOutput(const std::string& path);

// Writes `contents` to `path` as described above; `path` must not be a
// directory. Errors name the path.
absl::Status WriteOutputFile(const std::string& path, const std::string& contents);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_OUTPUT_FILE_H_
