#include "props/failure_trace.h"

#include <cstdlib>

#include "absl/strings/str_format.h"
#include "translator/registry.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"

namespace iovacheck {

trace::Trace FailureToTrace(const PropertyOutcome& outcome, const std::string& translator) {
  trace::Trace out;
  trace::Header* h = out.mutable_header();
  h->set_format_version(kTraceFormatVersion);
  trace::Producer* p = h->mutable_producer();
  p->set_tool("iovacheck check");
  p->set_seed(outcome.seed);
  p->set_scenario(outcome.property);
  p->set_translator(translator);
  p->set_source("reproduce=" + outcome.reproduce);
  if (!outcome.failure) return out;
  const PropertyFailure& f = *outcome.failure;
  *h->mutable_device() = DeviceConfigToProto(f.config);
  h->set_strict(f.strict);
  trace::Expectation* fails = h->add_expect();
  fails->set_translator(translator);
  fails->set_verdict(trace::Expectation::FAIL);
  fails->set_rule(OracleRuleName(f.divergence.rule));
  fails->set_event_index(f.divergence_index);
  trace::Expectation* recorded = h->add_expect();
  recorded->set_translator("recorded");
  recorded->set_verdict(trace::Expectation::FAIL);
  recorded->set_rule(OracleRuleName(f.divergence.rule));
  recorded->set_event_index(f.divergence_index);
  for (const StepRecord& r : f.log) *out.add_events() = StepToProto(r);
  return out;
}

absl::StatusOr<std::string> WriteFailureTrace(const PropertyOutcome& outcome,
                                              const std::string& translator,
                                              const std::string& dir) {
  const std::string path = absl::StrFormat("%s/%s-%s-seed%u.textproto", dir,
                                           TranslatorFileLabel(translator),
                                           outcome.property, outcome.seed);
  absl::Status s = WriteWholeTrace(
      path, FailureToTrace(outcome, translator),
      absl::StrFormat("Shrunk failure of property %s on translator %s, seed %u.",
                      outcome.property, translator, outcome.seed));
  if (!s.ok()) return s;
  return path;
}

std::string TestOutputsDir() {
  const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  return dir != nullptr ? dir : "";
}

}  // namespace iovacheck
