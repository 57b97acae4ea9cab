// The entry point every fuzz target defines, as libFuzzer names it, so the
// same file builds for libFuzzer (clang -fsanitize=fuzzer) and for our own
// deterministic driver (fuzz_driver.cc), which `bazel test` runs over each
// target's seed corpus plus a fixed number of mutated inputs.
//
// A target returns normally for any input it rejects cleanly; a finding
// (a crash, or a property it checks failing) ends the process: FuzzFinding
// prints what broke and aborts.
#ifndef IOVACHECK_FUZZ_FUZZ_TARGET_H_
#define IOVACHECK_FUZZ_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace iovacheck {

[[noreturn]] void FuzzFinding(const std::string& what);

// A scratch file of this process for inputs the code under test reads from
// a path; `suffix` picks the format (".trace", ".textproto", ".log").
std::string FuzzScratchPath(const std::string& suffix);
void WriteFuzzScratch(const std::string& path, const uint8_t* data, size_t size);

}  // namespace iovacheck

#endif  // IOVACHECK_FUZZ_FUZZ_TARGET_H_
