// The scenarios the simulator knows, by name; the first is the default.
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/scenario.h"
#include "sim/scenarios/named_scenarios.h"

namespace iovacheck {
namespace {

struct Entry {
  const char* name;
  std::unique_ptr<Scenario> (*make)();
};

constexpr Entry kScenarios[] = {
    {"q35", scenarios::MakeQ35Scenario},
    {"hotplug", scenarios::MakeHotplugScenario},
    {"migration", scenarios::MakeMigrationScenario},
    {"viommu", scenarios::MakeViommuScenario},
};

}  // namespace

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const Entry& e : kScenarios) names.push_back(e.name);
  return names;
}

absl::StatusOr<ScenarioFactory> FindScenario(absl::string_view name) {
  for (const Entry& e : kScenarios) {
    if (name == e.name) return ScenarioFactory(e.make);
  }
  return absl::NotFoundError(absl::StrFormat("unknown scenario '%s' (known: %s)", name,
                                             absl::StrJoin(ScenarioNames(), ", ")));
}

}  // namespace iovacheck
