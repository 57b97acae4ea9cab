#include "tools/build_qemu_plugin_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <vector>

#include "absl/status/statusor.h"
#include "translator/runfiles.h"

namespace iovacheck {

int RunBuildQemuPlugin(const std::string& qemu_src, const std::string& output,
                       const std::string& cuts) {
  if (qemu_src.empty() || output.empty()) {
    std::cerr << "iovacheck build-qemu-plugin: want --qemu-src=DIR and -o FILE.so\n";
    return 2;
  }
  absl::StatusOr<std::string> script = FindRunfile("tools/build_qemu_plugin.sh");
  absl::StatusOr<std::string> extractor = FindRunfile("tools/extract/extract_functions");
  if (!script.ok() || !extractor.ok()) {
    std::cerr << "iovacheck build-qemu-plugin: "
              << (!script.ok() ? script.status() : extractor.status()).message()
              << "; run it with `bazel run //tools:iovacheck -- build-qemu-plugin ...`\n";
    return 2;
  }
  std::vector<std::string> args = {"bash", *script, "--qemu-src=" + qemu_src, "-o", output,
                                   "--extractor=" + *extractor};
  if (!cuts.empty()) args.push_back("--cuts=" + cuts);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout << std::flush;
  pid_t pid = fork();
  if (pid == 0) {
    execvp("bash", argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    std::cerr << "iovacheck build-qemu-plugin: could not run " << *script << "\n";
    return 1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 1;
}

}  // namespace iovacheck
