// What the oracle reports when a translator and the device disagree with the
// model: which rule broke, what was expected, what happened, and the
// addresses involved (for showing the mappings around them).
#ifndef IOVACHECK_MODEL_DIVERGENCE_H_
#define IOVACHECK_MODEL_DIVERGENCE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace iovacheck {

// How many mappings the oracle's ledgers make room for when a run starts.
inline constexpr size_t kInitialMappings = 128;

enum class OracleRule {
  kCoverage,         // a live section or host buffer is not reachable as it must be
  kStale,            // the device maps something nothing live asks for
  kIovaRange,        // an IOVA outside [max(range.first, page), range.last]
  kIovaOverlap,      // two IOVA ranges overlap (across address spaces)
  kLeak,             // translator allocations != live device mappings
  kDeviceView,       // what the device DMAs through != the kernel's table
  kStrictIova,       // not the IOVA QEMU's first-fit policy hands out
  kDatapath,         // a guest buffer translated wrongly, or refused wrongly
  kTranslatorError,  // the translator reported an error the model did not expect
  kRecordedAnswer,   // replaying a recording: the emulated device answered a
                     // message differently from the recorded write()
  kCrash,            // a plug-in's process died inside a call (signal or exit)
  kHang,             // a plug-in did not return from a call within its budget
};

const char* OracleRuleName(OracleRule rule);

struct Divergence {
  OracleRule rule = OracleRule::kCoverage;
  std::string expected;
  std::string actual;
  std::vector<uint64_t> gpas;
  std::vector<uint64_t> hvas;
  std::vector<uint64_t> iovas;
  // kCrash / kHang: how the plug-in died ("SIGSEGV", "exit status 3",
  // "hang"); part of the failure's identity, so that shrinking keeps the kind
  // of crash.
  std::string death;
};

std::string DivergenceToString(const Divergence& d);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_DIVERGENCE_H_
