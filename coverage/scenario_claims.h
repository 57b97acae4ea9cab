// The situations (coverage.h) each scenario claims to reach: the README's
// table "What each scenario reaches" says the same (scenario_claims_test
// holds the two together and runs the scenarios to check every claim).
#ifndef IOVACHECK_COVERAGE_SCENARIO_CLAIMS_H_
#define IOVACHECK_COVERAGE_SCENARIO_CLAIMS_H_

#include <map>
#include <string>
#include <vector>

namespace iovacheck {

// Scenario name -> situations, in KnownSituations() order.
const std::map<std::string, std::vector<std::string>>& ScenarioClaims();

// Seeds 1..kClaimSeeds of each scenario, faults on, reach every claim.
inline constexpr int kClaimSeeds = 30;

}  // namespace iovacheck

#endif  // IOVACHECK_COVERAGE_SCENARIO_CLAIMS_H_
