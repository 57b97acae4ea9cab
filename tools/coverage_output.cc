#include "tools/coverage_output.h"

#include "traces/output_file.h"

namespace iovacheck {

absl::Status EmitCoverage(const Coverage& coverage, const CoverageOutput& output,
                          std::ostream& out) {
  if (output.print) out << FormatCoverage(coverage);
  if (output.json_path.empty()) return absl::OkStatus();
  return WriteOutputFile(output.json_path, CoverageToJson(coverage));
}

}  // namespace iovacheck
