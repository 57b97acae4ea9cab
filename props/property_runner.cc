#include "props/property_runner.h"

#include <iostream>
#include <unordered_map>
#include <utility>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "absl/strings/str_format.h"
#include "coverage/coverage_observer.h"
#include "props/commands.h"

namespace rc::detail {
// Defined in librapidcheck, not declared in its public headers.
std::string reproduceMapToString(const std::unordered_map<std::string, Reproduce>& map);
std::unordered_map<std::string, Reproduce> stringToReproduceMap(const std::string& str);
}  // namespace rc::detail

namespace iovacheck {
namespace {

class QuietListener : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&,
                      const rc::detail::TestResult&) override {}
};

}  // namespace

std::vector<PropertySpec> AllProperties() {
  return {
      {"dma_map_agreement",
       "dma_map device: every step leaves the IOTLB, the allocations and the "
       "datapath exactly as the model says",
       false, PropertySettings{2000, 200, DeviceKind::kDmaMap}},
      {"set_map_agreement",
       "set_map device: the same, with the device catching up at BATCH_END",
       false, PropertySettings{2000, 200, DeviceKind::kSetMap}},
      // Strict IOVAs depend on the allocation history: fewer, longer runs.
      {"first_fit_strict",
       "every IOVA is the one QEMU's first-fit policy hands out",
       true, PropertySettings{1000, 300, std::nullopt}},
  };
}

std::optional<PropertySpec> FindProperty(const std::string& name) {
  for (PropertySpec& spec : AllProperties()) {
    if (spec.name == name) return std::move(spec);
  }
  return std::nullopt;
}

PropertyOutcome RunProperty(const PropertySpec& spec, const TranslatorFactory& factory,
                            const RunOptions& options) {
  absl::StatusOr<EffectiveSettings> settings =
      ResolveSettings(spec.settings, options.caller, options.command_line);
  if (!settings.ok()) {
    PropertyOutcome bad;
    bad.property = spec.name;
    bad.seed = options.seed;
    bad.message = "bad settings: " + std::string(settings.status().message());
    return bad;
  }
  if (options.print_settings) {
    std::cout << absl::StrFormat("settings %s: %s\n", spec.name, FormatSettings(*settings))
              << std::flush;
  }
  // RapidCheck calls the property again for every shrink it tries; the last
  // failing call is the shrunk counterexample.
  std::optional<PropertyFailure> last_failure;
  Coverage coverage;
  auto property = rc::detail::toProperty([&] {
    DeviceConfig config = *GenDeviceConfig(settings->value.kind);
    config.backend_features &= options.acked_features & settings->value.features;
    config.device = options.device;
    if (config.device != "emulated") {
      // Linux's devices run over vdpa_sim, whose get_iova_range reports the
      // whole 64-bit space (drivers/vdpa/vdpa_sim/vdpa_sim.c,
      // vdpasim_get_iova_range, 6.12 lines 599-607): a narrower range is a
      // device those twins cannot be. The emulation covers the narrow ones.
      config.iova_first = 0;
      config.iova_last = ~uint64_t{0};
    }
    if (options.serves) RC_PRE(options.serves(config));
    GenState initial = GenState::Initial(config);
    initial.strict = spec.strict;
    const auto commands = *rc::state::gen::commands(initial, &GenCommand);
    HarnessOptions harness_options;
    harness_options.strict = spec.strict;
    harness_options.full_oracle = options.full_oracle;
    // Once a case failed, RapidCheck's calls are shrinks: not counted.
    Coverage this_case;
    std::optional<CoverageObserver> observer;
    if (options.coverage && !last_failure) harness_options.observer = &observer.emplace(&this_case);
    Harness harness(config, factory, harness_options);
    GenState state = initial;
    size_t ran = 0;
    for (const auto& command : commands) {
      ++ran;
      command->run(state, harness);
      if (harness.failed()) break;
      command->apply(state);
    }
    if (observer) {
      observer->Finish(harness);
      coverage.Merge(this_case);
    }
    RC_ASSERT(harness.oracle_disagreements() == 0u);
    if (harness.failed()) {
      last_failure = PropertyFailure{config, harness.log(), *harness.divergence(),
                                     harness.divergence_index(), ran, spec.strict};
      RC_FAIL(DivergenceToString(*harness.divergence()));
    }
  });

  rc::detail::TestMetadata metadata;
  metadata.id = spec.name;
  metadata.description = spec.summary;
  rc::detail::TestParams params;
  params.seed = options.seed;
  params.maxSuccess = settings->value.cases;
  params.maxSize = settings->value.max_length;  // ~that many commands, ~2.5x the events
  QuietListener listener;
  std::unordered_map<std::string, rc::detail::Reproduce> reproduce_map;
  if (!options.reproduce.empty()) {
    reproduce_map = rc::detail::stringToReproduceMap(options.reproduce);
  }
  const rc::detail::TestResult result =
      rc::detail::checkProperty(property, metadata, params, listener, reproduce_map);

  PropertyOutcome outcome;
  outcome.coverage = std::move(coverage);
  outcome.settings = *settings;
  outcome.property = spec.name;
  outcome.seed = options.seed;
  rc::detail::SuccessResult success;
  rc::detail::FailureResult failure;
  rc::detail::GaveUpResult gave_up;
  rc::detail::Error error;
  if (result.match(success)) {
    outcome.passed = true;
    outcome.cases = success.numSuccess;
  } else if (result.match(failure)) {
    outcome.cases = failure.numSuccess;
    outcome.message = failure.description;
    outcome.reproduce = rc::detail::reproduceMapToString({{spec.name, failure.reproduce}});
    outcome.failure = last_failure;
  } else if (result.match(gave_up)) {
    outcome.cases = gave_up.numSuccess;
    outcome.message = "RapidCheck gave up: " + gave_up.description;
  } else if (result.match(error)) {
    outcome.message = "RapidCheck error: " + error.description;
  }
  return outcome;
}

bool InvolvesAliasing(const PropertyFailure& failure) {
  std::vector<Section> added;
  for (const StepRecord& r : failure.log) {
    if (const auto* e = std::get_if<RegionAddEvent>(&r.event)) added.push_back(e->section);
  }
  for (size_t i = 0; i < added.size(); ++i) {
    for (size_t j = i + 1; j < added.size(); ++j) {
      if (HvaOverlaps(added[i], added[j])) return true;
    }
  }
  return false;
}

std::string FormatOutcome(const PropertyOutcome& o) {
  if (o.passed) {
    return absl::StrFormat("PASS %-18s %d cases (seed %u)\n", o.property, o.cases, o.seed);
  }
  std::string out = absl::StrFormat("FAIL %-18s after %d passing cases (seed %u)\n",
                                    o.property, o.cases, o.seed);
  if (!o.reproduce.empty()) {
    absl::StrAppendFormat(&out, "  reproduce: --property=%s --seed=%u --reproduce=%s\n",
                          o.property, o.seed, o.reproduce);
  }
  if (!o.failure) {
    absl::StrAppendFormat(&out, "  %s\n", o.message);
    return out;
  }
  const PropertyFailure& f = *o.failure;
  absl::StrAppendFormat(&out, "  device: %s\n", DeviceConfigToString(f.config));
  absl::StrAppendFormat(&out,
                        "  minimal failing sequence (%u commands, %u events; gpa = "
                        "guest physical, hva = host virtual, iova = device):\n",
                        f.commands, f.log.size());
  out += FormatLog(f.log);
  absl::StrAppendFormat(&out, "  divergence at event #%u (%s): %s\n", f.divergence_index,
                        EventKind(f.log[f.divergence_index].event),
                        DivergenceToString(f.divergence));
  return out;
}

}  // namespace iovacheck
