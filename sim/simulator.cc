#include "sim/simulator.h"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <variant>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "coverage/coverage_observer.h"
#include "model/divergence.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "sim/scenario.h"
#include "sim/scenarios/run_driver.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

constexpr char kTool[] = "iovacheck simulate";

// Site names in firing order, each once.
class FiredSites {
 public:
  void Add(const std::string& site) {
    if (std::find(sites_.begin(), sites_.end(), site) == sites_.end()) sites_.push_back(site);
  }
  std::vector<std::string> Take() { return std::move(sites_); }

 private:
  std::vector<std::string> sites_;
};

bool IsMappingEvent(const Event& e) {
  return std::holds_alternative<RegionAddEvent>(e) || std::holds_alternative<HostMapEvent>(e) ||
         std::holds_alternative<IommuMapEvent>(e);
}

trace::Header MakeHeader(const SimulationOptions& o, const DeviceConfig& config,
                         const SimulationResult& r) {
  trace::Header h;
  h.set_format_version(kTraceFormatVersion);
  trace::Producer* p = h.mutable_producer();
  p->set_tool(kTool);
  p->set_seed(o.seed);
  p->set_scenario(o.scenario);
  p->set_translator(o.translator);
  p->set_source(absl::StrFormat("%s --scenario=%s --seed=%u --steps=%u --faults=%s%s", kTool,
                                o.scenario, o.seed, o.steps, o.faults ? "true" : "false",
                                o.device == "emulated" ? "" : " --device=" + o.device));
  *h.mutable_device() = DeviceConfigToProto(config);
  for (const std::string& site : r.faults_enabled) h.add_faults_enabled(site);
  if (r.verdict == SimulationVerdict::kFail) {
    trace::Expectation* x = h.add_expect();
    x->set_translator(o.translator);
    x->set_verdict(trace::Expectation::FAIL);
    x->set_rule(OracleRuleName(r.divergence->rule));
    x->set_event_index(r.event_index);
  } else if (r.verdict == SimulationVerdict::kPass && o.translator == "decoupled") {
    trace::Expectation* x = h.add_expect();
    x->set_translator("decoupled");
    x->set_verdict(trace::Expectation::PASS);
  }
  return h;
}

std::string RunName(const SimulationOptions& o) {
  return absl::StrFormat("scenario %s seed %u translator %s", o.scenario, o.seed,
                         o.translator);
}

std::string FaultsLine(const SimulationResult& r) {
  if (r.faults_enabled.empty()) return "faults: none enabled";
  return absl::StrFormat("faults enabled: %s; fired: %s", absl::StrJoin(r.faults_enabled, ", "),
                         r.faults_fired.empty() ? "none" : absl::StrJoin(r.faults_fired, ", "));
}

SimulationResult Error(const std::string& message) {
  SimulationResult r;
  r.verdict = SimulationVerdict::kError;
  r.report = "ERROR " + message;
  return r;
}

// One run, writing the trace only when the options name a path.
SimulationResult RunOnce(const SimulationOptions& o) {
  absl::StatusOr<ScenarioFactory> scenario = FindScenario(o.scenario);
  if (!scenario.ok()) return Error(std::string(scenario.status().message()));
  absl::StatusOr<TranslatorFactory> translator = FindTranslator(o.translator);
  if (!translator.ok()) return Error(std::string(translator.status().message()));

  SimulationResult result;
  FaultPlan plan = o.faults ? FaultPlan::FromSeed(scenarios::DeriveRunSeeds(o.seed).faults)
                            : FaultPlan();
  // The real kernel never interrupts a write (faults.h): only translators
  // that promise to retry one are tested with it.
  if (!RetriesInterruptedWrites(o.translator)) plan.Disable(FaultSite::kMessageLost);
  result.faults_enabled = plan.EnabledNames();
  scenarios::RunDriver driver((*scenario)(), o.seed, &plan, AckedBackendFeatures(o.translator));
  SimulatedChannelFaults channel_faults(&plan);
  HarnessOptions harness_options;
  harness_options.keep_log = false;  // memory stays flat however long the run
  if (o.faults) harness_options.faults = &channel_faults;
  harness_options.full_oracle = o.full_oracle;
  std::optional<CoverageObserver> observer;
  if (o.coverage) harness_options.observer = &observer.emplace(&result.coverage);
  DeviceConfig config = driver.config();
  config.device = o.device;
  Harness harness(config, *translator, harness_options);

  // The trace is streamed as the run goes (memory stays flat however long
  // the run); its header, which holds the verdict, is written at the end.
  const bool tracing = !o.trace_path.empty();
  std::unique_ptr<TraceWriter> writer;
  absl::Status trace_status;
  if (tracing) {
    absl::StatusOr<std::unique_ptr<TraceWriter>> w = TraceWriter::CreateWithLateHeader(o.trace_path);
    if (w.ok()) {
      writer = std::move(*w);
    } else {
      trace_status = w.status();
    }
  }
  FiredSites fired;
  const bool small_range = plan.enabled(FaultSite::kIovaRangeTooSmall);
  std::vector<Event> events;
  std::vector<bool> injected;
  std::string scenario_error;
  for (uint64_t step = 0; step < o.steps && !harness.failed() && scenario_error.empty();
       ++step) {
    driver.NextStep(harness.model(), &events, &injected);
    for (size_t i = 0; i < events.size(); ++i) {
      const absl::Status s = harness.Step(events[i]);
      if (!s.ok()) {
        // The model refused the event: the scenario generated invalid input.
        scenario_error = absl::StrFormat(
            "%s: the scenario produced an event the model refuses at step %u, event #%u "
            "(%s): %s",
            RunName(o), step, harness.events_applied(), EventToString(events[i]),
            s.ToString());
        break;
      }
      const StepRecord& record = harness.log().back();
      if (injected[i]) {
        fired.Add(FaultSiteName(FaultSite::kResetMidTransaction));
        if (o.coverage) ++result.coverage.fault_sites[FaultSiteName(FaultSite::kResetMidTransaction)];
      }
      for (const InjectedFault& f : record.faults) fired.Add(f.site);
      if (small_range && record.rc == ENOMEM && IsMappingEvent(record.event)) {
        fired.Add(FaultSiteName(FaultSite::kIovaRangeTooSmall));
        if (o.coverage) ++result.coverage.fault_sites[FaultSiteName(FaultSite::kIovaRangeTooSmall)];
      }
      if (writer != nullptr && trace_status.ok()) trace_status = writer->Append(StepToProto(record));
      if (harness.failed()) break;
    }
  }

  result.events = harness.events_applied();
  if (observer) observer->Finish(harness);
  result.faults_fired = fired.Take();
  result.oracle_disagreements = harness.oracle_disagreements();
  if (scenario_error.empty() && result.oracle_disagreements != 0) {
    scenario_error = absl::StrFormat(
        "%s: the incremental oracle and the full sweep disagreed after %u of %u events "
        "(a bug in iovacheck's oracle)",
        RunName(o), result.oracle_disagreements, result.events);
  }
  if (!scenario_error.empty()) {
    result.verdict = SimulationVerdict::kError;
    result.report = "ERROR " + scenario_error;
  } else if (harness.failed()) {
    result.verdict = SimulationVerdict::kFail;
    result.divergence = harness.divergence();
    result.event_index = harness.divergence_index();
    const StepRecord& last = harness.log().back();
    result.report = absl::StrFormat(
        "FAIL %s: divergence at event #%u of %u (%s)\n  %s\n  %s\n  device: %s",
        RunName(o), result.event_index, result.events, EventToString(last.event),
        DivergenceToString(*result.divergence), FaultsLine(result),
        DeviceConfigToString(config));
  } else {
    result.report = absl::StrFormat("PASS %s: %u steps, %u events; %s", RunName(o), o.steps,
                                    result.events, FaultsLine(result));
  }

  if (tracing) {
    absl::Status s = trace_status;
    if (s.ok()) {
      writer->set_header(MakeHeader(o, config, result));
      s = writer->Close();
    }
    if (s.ok()) {
      result.trace_written = o.trace_path;
      absl::StrAppendFormat(&result.report, "\n  trace: %s", o.trace_path);
    } else {
      absl::StrAppendFormat(&result.report, "\n  trace not written: %s", s.message());
      if (result.verdict == SimulationVerdict::kPass) result.verdict = SimulationVerdict::kError;
    }
  }
  return result;
}

}  // namespace

SimulationResult RunSimulation(const SimulationOptions& options) {
  SimulationOptions o = options;
  if (o.scenario.empty()) o.scenario = ScenarioNames().front();
  return RunOnce(o);
}

std::string DefaultTracePath(const SimulationOptions& o) {
  const std::string scenario = o.scenario.empty() ? ScenarioNames().front() : o.scenario;
  return absl::StrFormat("%s-seed%u-%s.trace", scenario, o.seed,
                         TranslatorFileLabel(o.translator));
}

}  // namespace iovacheck
