#include "traces/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "model/errno_text.h"
#include "traces/temp_files.h"

namespace iovacheck {

// umask(2) can only be read by setting it, which would race with other
// threads creating files: /proc says it instead.
mode_t CurrentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, "Umask:")) {
      return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
    }
  }
  return 022;
}

absl::StatusOr<std::string> TempFileBeside(const std::string& path, const char* tag, mode_t mode) {
  std::string pattern = path + tag + "-XXXXXX";
  const CleanupSignalsHeld held;  // until the file is registered
  const int fd = mkstemp(pattern.data());
  if (fd < 0) {
    const int err = errno;
    // Say which: a directory that is not there, or one we may not write in.
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    if (err == ENOENT || err == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrFormat("%s: cannot write it: directory %s does not exist", path, dir));
    }
    const std::string what = absl::StrFormat("%s: cannot write it: %s", path, ErrnoText(err));
    if (err == EACCES || err == EPERM || err == EROFS) {
      return absl::PermissionDeniedError(absl::StrFormat("%s (in %s)", what, dir));
    }
    return absl::InternalError(what);
  }
  fchmod(fd, mode);
  close(fd);
  RegisterTempFile(pattern);
  return pattern;
}

absl::StatusOr<OutputPlace> PlaceOutput(const std::string& path) {
  struct stat st;
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: is a directory", path));
  }
  // A device, a pipe, a socket (-o /dev/stdout): written through as it is;
  // renaming a file over it would replace it.
  if (exists && !S_ISREG(st.st_mode)) return OutputPlace{path, ""};
  OutputPlace place{path, ""};
  if (exists) {
    if (char* real = realpath(path.c_str(), nullptr)) {
      place.target = real;
      free(real);
    }
  }
  const mode_t mode = exists ? (st.st_mode & 07777) : (0666 & ~CurrentUmask());
  absl::StatusOr<std::string> temp = TempFileBeside(place.target, ".tmp", mode);
  if (!temp.ok()) return temp.status();
  place.temp = *temp;
  return place;
}

absl::Status WriteOutputFile(const std::string& path, const std::string& contents) {
  absl::StatusOr<OutputPlace> place = PlaceOutput(path);
  if (!place.ok()) return place.status();
  const bool through = place->temp.empty();
  std::ofstream out(through ? path : place->temp, through ? std::ios::binary | std::ios::out
                                                          : std::ios::binary | std::ios::trunc);
  if (!out) {
    const int err = errno;
    if (!through) {
      std::remove(place->temp.c_str());
      ForgetTempFile(place->temp);
    }
    return absl::PermissionDeniedError(
        absl::StrFormat("%s: cannot open for writing: %s", path, ErrnoText(err)));
  }
  out << contents;
  out.flush();
  const bool written = static_cast<bool>(out);
  out.close();
  if (through) {
    return written ? absl::OkStatus()
                   : absl::DataLossError(absl::StrFormat("%s: write failed", path));
  }
  if (!written || std::rename(place->temp.c_str(), place->target.c_str()) != 0) {
    const int err = errno;
    std::remove(place->temp.c_str());
    ForgetTempFile(place->temp);
    return absl::DataLossError(
        absl::StrFormat("%s: %s", path,
                        written ? "cannot move the file into place: " + ErrnoText(err)
                                : std::string("write failed")));
  }
  ForgetTempFile(place->temp);
  return absl::OkStatus();
}

}  // namespace iovacheck
