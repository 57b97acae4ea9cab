// A temporary file registered with temp_files.h goes when the process is
// stopped by a signal it can catch, and one created and registered while
// the signals are held back cannot be left behind by a signal landing
// between the two steps (interrupt_cli_test once caught exactly that).
#include "traces/temp_files.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

std::string Scratch(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

void Create(const std::string& path) {
  const int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd >= 0) close(fd);
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Runs `body` in a child and returns its wait status.
template <typename Body>
int InChild(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    RemoveTempFilesOnSignals();
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(TempFiles, ARegisteredFileGoesWithTheSignal) {
  const std::string kept = Scratch("kept"), gone = Scratch("gone");
  const int status = InChild([&] {
    Create(kept);
    Create(gone);
    RegisterTempFile(kept);
    RegisterTempFile(gone);
    ForgetTempFile(kept);  // renamed into place, say
    raise(SIGTERM);
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "the signal's default action still ends the process";
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_FALSE(Exists(gone));
  EXPECT_TRUE(Exists(kept));
}

TEST(TempFiles, ASignalWhileHeldWaitsUntilTheFileIsRegistered) {
  const std::string path = Scratch("held");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const int status = InChild([&] {
    const CleanupSignalsHeld held;
    Create(path);
    raise(SIGINT);  // lands between creation and registration
    RegisterTempFile(path);
    (void)!write(pipe_fds[1], "r", 1);  // still alive, and registered
  });
  close(pipe_fds[1]);
  char got = 0;
  EXPECT_EQ(read(pipe_fds[0], &got, 1), 1) << "the signal did not wait for the registration";
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_FALSE(Exists(path)) << "left behind";
}

}  // namespace
}  // namespace iovacheck
