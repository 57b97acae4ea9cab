// Temporary files a run is writing beside its outputs (X.tmp-XXXXXX before
// the rename that puts X in place), removed when the process is stopped by
// SIGINT, SIGTERM or SIGHUP: an interrupted run leaves neither a partial
// output under its final name (the rename never happened) nor the temporary
// file. SIGKILL cannot be caught: then only the temporary file stays.
#ifndef IOVACHECK_TRACES_TEMP_FILES_H_
#define IOVACHECK_TRACES_TEMP_FILES_H_

#include <signal.h>

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

// Holds SIGINT, SIGTERM and SIGHUP back while it lives (they are delivered
// when it ends). Create a temporary file and register it under one: a
// signal landing between the two would otherwise leave the file behind.
class CleanupSignalsHeld {
 public:
  CleanupSignalsHeld();
  ~CleanupSignalsHeld();
  CleanupSignalsHeld(const CleanupSignalsHeld&) = delete;
  CleanupSignalsHeld& operator=(const CleanupSignalsHeld&) = delete;

 private:
  sigset_t before_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_TEMP_FILES_H_
