// The production translator must satisfy every property on 2,000 generated
// sequences each.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "props/failure_trace.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

// A failure's shrunk sequence goes to the test's undeclared outputs.
void RecordFailure(const PropertyOutcome& outcome, const std::string& translator) {
  if (outcome.passed || TestOutputsDir().empty()) return;
  absl::StatusOr<std::string> path = WriteFailureTrace(outcome, translator, TestOutputsDir());
  std::cout << (path.ok() ? "failure trace: " + *path : path.status().ToString()) << "\n";
}

class DecoupledProperties : public testing::TestWithParam<PropertySpec> {};

TEST_P(DecoupledProperties, Holds) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator("decoupled");
  ASSERT_TRUE(factory.ok()) << factory.status();
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.seed = TestSeed();
  options.device = TestDevice();
  // Linux's code runs in a child process of its own per case, several times
  // slower than the emulation: its twin runs a quarter of the cases, within
  // CI's budget. The generators, and what they reach, are the same.
  const int declared = GetParam().settings.cases;
  options.caller.cases = options.device == "emulated"
                             ? ScaledCases(declared)
                             : std::optional<int>(static_cast<int>(TestCases(declared / 4)));
  std::cout << "device: " << options.device << "\n";
  options.coverage = true;
  PropertyOutcome outcome = RunProperty(GetParam(), *factory, options);
  std::cout << FormatOutcome(outcome) << FormatCoverage(outcome.coverage);
  RecordFailure(outcome, "decoupled");
  EXPECT_TRUE(outcome.passed) << FormatOutcome(outcome) << outcome.message;
  EXPECT_EQ(outcome.cases, outcome.settings.value.cases);
  // The generators aim at every edge (issue [11]): a default run reaches
  // each boundary class, so one that stops being drawn fails here. Judged
  // on the emulation's full run: the Linux twin runs fewer cases, over
  // vdpa_sim's range, which is always the whole space (no small range).
  if (options.device == "emulated") {
    EXPECT_EQ(BoundariesNeverReached(outcome.coverage), std::vector<std::string>{})
        << FormatCoverage(outcome.coverage);
  }
}

INSTANTIATE_TEST_SUITE_P(AllProperties, DecoupledProperties,
                         testing::ValuesIn(AllProperties()),
                         [](const testing::TestParamInfo<PropertySpec>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace iovacheck
