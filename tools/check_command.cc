#include "tools/check_command.h"

#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "props/property_runner.h"
#include "translator/registry.h"

namespace iovacheck {

int RunCheck(const CheckOptions& options) {
  if (options.translators.empty()) {
    std::cerr << "iovacheck check: --translator is required (one of: "
              << absl::StrJoin(TranslatorNames(), ", ") << ")\n";
    return 2;
  }
  if (options.cases <= 0) {
    std::cerr << "iovacheck check: --cases must be positive\n";
    return 2;
  }
  std::vector<PropertySpec> specs;
  for (const PropertySpec& spec : AllProperties()) {
    if (options.property.empty() || spec.name == options.property) specs.push_back(spec);
  }
  if (specs.empty()) {
    std::vector<std::string> names;
    for (const PropertySpec& spec : AllProperties()) names.push_back(spec.name);
    std::cerr << "iovacheck check: unknown --property=" << options.property
              << " (one of: " << absl::StrJoin(names, ", ") << ")\n";
    return 2;
  }
  std::vector<TranslatorFactory> factories;
  for (const std::string& name : options.translators) {
    absl::StatusOr<TranslatorFactory> factory = FindTranslator(name);
    if (!factory.ok()) {
      std::cerr << "iovacheck check: " << factory.status().message() << "\n";
      return 2;
    }
    factories.push_back(*factory);
  }

  bool all_held = true;
  for (size_t i = 0; i < factories.size(); ++i) {
    std::cout << absl::StrFormat(
        "== translator %s: %d cases per property, seed %u, device %s\n",
        options.translators[i], options.cases, options.seed, options.device);
    for (const PropertySpec& spec : specs) {
      RunOptions run;
      run.acked_features = AckedBackendFeatures(options.translators[i]);
      run.cases = options.cases;
      run.seed = options.seed;
      run.reproduce = options.reproduce;
      run.device = options.device;
      PropertyOutcome outcome = RunProperty(spec, factories[i], run);
      std::cout << FormatOutcome(outcome) << std::flush;
      all_held = all_held && outcome.passed;
    }
  }
  return all_held ? 0 : 1;
}

}  // namespace iovacheck
