// Temporary files a run is writing beside its outputs (X.tmp-XXXXXX before
// the rename that puts X in place), removed when the process is stopped by
// SIGINT, SIGTERM or SIGHUP: an interrupted run leaves neither a partial
// output under its final name (the rename never happened) nor the temporary
// file. SIGKILL cannot be caught: then only the temporary file stays.
#ifndef IOVACHECK_TRACES_TEMP_FILES_H_
#define IOVACHECK_TRACES_TEMP_FILES_H_

#include <string>

namespace iovacheck {

// Installs the handlers (once; later calls do nothing). A handler removes
// every registered file, then lets the signal do what it would have done.
void RemoveTempFilesOnSignals();

// Registers a temporary file, or a scratch directory (removed after every
// registered file, when that leaves it empty); forgets it (after a rename or
// a removal).
// Registering more than the registry holds (64 at once) is not an error:
// that file is simply not cleaned on a signal.
void RegisterTempFile(const std::string& path);
void ForgetTempFile(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_TEMP_FILES_H_
