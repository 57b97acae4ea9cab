#include "model/divergence.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

const char* OracleRuleName(OracleRule rule) {
  switch (rule) {
    case OracleRule::kCoverage: return "coverage";
    case OracleRule::kStale: return "stale-mapping";
    case OracleRule::kIovaRange: return "iova-range";
    case OracleRule::kIovaOverlap: return "iova-overlap";
    case OracleRule::kLeak: return "allocation-leak";
    case OracleRule::kDeviceView: return "device-view";
    case OracleRule::kStrictIova: return "strict-first-fit";
    case OracleRule::kDatapath: return "datapath";
    case OracleRule::kTranslatorError: return "translator-error";
    case OracleRule::kRecordedAnswer: return "recorded-answer";
    case OracleRule::kCrash: return "crash";
    case OracleRule::kHang: return "hang";
  }
  return "?";
}

std::string DivergenceToString(const Divergence& d) {
  return absl::StrFormat("rule %s\n  expected: %s\n  actual:   %s",
                         OracleRuleName(d.rule), d.expected, d.actual);
}

}  // namespace iovacheck
