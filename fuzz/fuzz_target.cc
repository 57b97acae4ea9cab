#include "fuzz/fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>

namespace iovacheck {

void FuzzFinding(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

namespace {

// Scratch files outlive a libFuzzer run that ends normally (it calls
// exit()) unless removed then; a crash leaves them, beside its reproducer.
std::set<std::string>& ScratchFiles() {
  static auto* files = new std::set<std::string>;
  return *files;
}

void RemoveScratchFiles() {
  for (const std::string& path : ScratchFiles()) std::remove(path.c_str());
}

}  // namespace

std::string FuzzScratchPath(const std::string& suffix) {
  const char* dir = std::getenv("TEST_TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  std::string path = std::string(dir) + "/iovacheck-fuzz-" + std::to_string(getpid()) + suffix;
  static const bool registered = std::atexit(RemoveScratchFiles) == 0;
  (void)registered;
  ScratchFiles().insert(path);
  return path;
}

void WriteFuzzScratch(const std::string& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) FuzzFinding("cannot write the scratch file " + path);
}

}  // namespace iovacheck
