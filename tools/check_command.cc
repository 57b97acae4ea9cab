#include "tools/check_command.h"

#include <filesystem>
#include <iostream>
#include <system_error>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "maps/trace_map.h"
#include "props/property_runner.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

// The failing sequence as a trace of its own, then its map beside it; the
// lines to print under the verdict.
std::string WriteFailure(const PropertyOutcome& outcome, const std::string& translator,
                         const CheckOptions& options) {
  const PropertyFailure& f = *outcome.failure;
  trace::Trace t;
  trace::Header* h = t.mutable_header();
  h->set_format_version(kTraceFormatVersion);
  h->mutable_producer()->set_tool("iovacheck check");
  h->mutable_producer()->set_seed(outcome.seed);
  h->mutable_producer()->set_scenario(outcome.property);
  h->mutable_producer()->set_translator(translator);
  h->mutable_producer()->set_source(absl::StrFormat(
      "iovacheck check --property=%s --seed=%u --reproduce=%s", outcome.property, outcome.seed,
      outcome.reproduce));
  *h->mutable_device() = DeviceConfigToProto(f.config);
  h->set_strict(f.strict);
  trace::Expectation* x = h->add_expect();
  x->set_translator(translator);
  x->set_verdict(trace::Expectation::FAIL);
  x->set_rule(OracleRuleName(f.divergence.rule));
  x->set_event_index(f.divergence_index);
  for (const StepRecord& step : f.log) *t.add_events() = StepToProto(step);

  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return absl::StrFormat("  trace: not written: cannot make directory %s: %s\n",
                           options.out_dir, ec.message());
  }
  const std::string path = absl::StrFormat("%s/%s-%s.textproto", options.out_dir,
                                           outcome.property, TranslatorFileLabel(translator));
  if (absl::Status s = WriteWholeTrace(path, t); !s.ok()) {
    return absl::StrFormat("  trace: not written: %s\n", s.message());
  }
  ReplayOptions replay;
  replay.translator = translator;
  replay.device = options.device;
  absl::StatusOr<std::string> map = WriteMapBeside(path, replay);
  return absl::StrFormat("  trace: %s\n  map: %s\n", path,
                         map.ok() ? *map : "not written: " + std::string(map.status().message()));
}

}  // namespace

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
      std::cout << FormatOutcome(outcome);
      if (outcome.failure) std::cout << WriteFailure(outcome, options.translators[i], options);
      std::cout << std::flush;
      all_held = all_held && outcome.passed;
    }
  }
  return all_held ? 0 : 1;
}

}  // namespace iovacheck
