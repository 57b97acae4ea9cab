// `iovacheck check`: runs the properties against one or more translators
// outside the test harness and prints a verdict per property; a failure
// comes with its seed, RapidCheck's reproduce string and the minimal failing
// sequence, one event per line; that sequence is also written as a trace
// (replay, shrink and promote take it) with its map beside it, in out_dir.
#ifndef IOVACHECK_TOOLS_CHECK_COMMAND_H_
#define IOVACHECK_TOOLS_CHECK_COMMAND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "props/property_settings.h"
#include "tools/coverage_output.h"

namespace iovacheck {

struct CheckOptions {
  std::string device = "emulated";  // DeviceNames()
  std::vector<std::string> translators;
  // Over every property's own settings (props/property_settings.h).
  SettingsLayer command_line;
  uint64_t seed = 0;
  std::string property;   // empty: every property
  std::string reproduce;  // from a previous failure's output
  std::string out_dir = "iovacheck-check";  // failing sequences and their maps
  // Printed per property; the JSON sums every property and translator.
  CoverageOutput coverage;
};

// Exit status: 0 every property held, 1 some property failed (a bug was
// found), 2 bad arguments.
int RunCheck(const CheckOptions& options);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_CHECK_COMMAND_H_
