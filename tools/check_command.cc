#include "tools/check_command.h"

#include <filesystem>
#include <iostream>
#include <system_error>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "maps/trace_map.h"
#include "props/failure_trace.h"
#include "props/property_runner.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

// The failing sequence as a trace of its own (props/failure_trace.h), then
// its map beside it; the lines to print under the verdict.
std::string WriteFailure(const PropertyOutcome& outcome, const std::string& translator,
                         const CheckOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return absl::StrFormat("  trace: not written: cannot make directory %s: %s\n",
                           options.out_dir, ec.message());
  }
  absl::StatusOr<std::string> path = WriteFailureTrace(outcome, translator, options.out_dir);
  if (!path.ok()) return absl::StrFormat("  trace: not written: %s\n", path.status().message());
  ReplayOptions replay;
  replay.translator = translator;
  replay.device = options.device;
  absl::StatusOr<std::string> map = WriteMapBeside(*path, replay);
  return absl::StrFormat("  trace: %s\n  map: %s\n", *path,
                         map.ok() ? *map : "not written: " + std::string(map.status().message()));
}

}  // namespace

int RunCheck(const CheckOptions& options) {
  if (options.translators.empty()) {
    std::cerr << "iovacheck check: --translator is required (one of: "
              << absl::StrJoin(TranslatorNames(), ", ") << ")\n";
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
  // Every property's settings resolve (flags and IOVACHECK_* alike), or
  // nothing runs.
  for (const PropertySpec& spec : specs) {
    absl::StatusOr<EffectiveSettings> s = ResolveSettings(spec.settings, {}, options.command_line);
    if (!s.ok()) {
      std::cerr << "iovacheck check: " << s.status().message() << "\n";
      return 2;
    }
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
  Coverage total;
  for (size_t i = 0; i < factories.size(); ++i) {
    std::cout << absl::StrFormat(
        "== translator %s: seed %u, device %s\n", options.translators[i], options.seed,
        options.device);
    for (const PropertySpec& spec : specs) {
      RunOptions run;
      run.acked_features = AckedBackendFeatures(options.translators[i]);
      run.command_line = options.command_line;
      run.seed = options.seed;
      run.reproduce = options.reproduce;
      run.device = options.device;
      run.coverage = options.coverage.wanted();
      PropertyOutcome outcome = RunProperty(spec, factories[i], run);
      std::cout << FormatOutcome(outcome);
      if (outcome.failure) std::cout << WriteFailure(outcome, options.translators[i], options);
      if (options.coverage.print) std::cout << FormatCoverage(outcome.coverage);
      total.Merge(outcome.coverage);
      std::cout << std::flush;
      all_held = all_held && outcome.passed;
    }
  }
  if (!options.coverage.json_path.empty()) {
    CoverageOutput json = options.coverage;
    json.print = false;
    if (absl::Status s = EmitCoverage(total, json, std::cout); !s.ok()) {
      std::cerr << "iovacheck check: " << s.message() << "\n";
      return 2;
    }
  }
  return all_held ? 0 : 1;
}

}  // namespace iovacheck
