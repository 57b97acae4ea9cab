// Where a run's coverage (coverage/coverage.h) goes: printed after the
// verdict with --coverage, written as JSON with --coverage_json=FILE (an
// output file like any other: atomic, or through a device or pipe).
#ifndef IOVACHECK_TOOLS_COVERAGE_OUTPUT_H_
#define IOVACHECK_TOOLS_COVERAGE_OUTPUT_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "coverage/coverage.h"

namespace iovacheck {

struct CoverageOutput {
  bool print = false;     // --coverage
  std::string json_path;  // --coverage_json
  bool wanted() const { return print || !json_path.empty(); }
};

absl::Status EmitCoverage(const Coverage& coverage, const CoverageOutput& output,
                          std::ostream& out);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_COVERAGE_OUTPUT_H_
