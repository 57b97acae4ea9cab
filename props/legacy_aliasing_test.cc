// The pre-fix single-tree translator is wrong on aliasing. The properties must
// find it, and RapidCheck must shrink it to the seeds' pattern: at most four
// commands, one of them adding a section whose HVA aliases another's.
#include <gtest/gtest.h>

#include <iostream>

#include "props/failure_trace.h"
#include "traces/trace_io.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

PropertySpec DmaMapAgreement() { return FindProperty("dma_map_agreement").value(); }

TEST(LegacyTranslator, AliasingBugIsFoundAndShrunk) {
  absl::StatusOr<TranslatorFactory> legacy = FindTranslator("legacy");
  ASSERT_TRUE(legacy.ok()) << legacy.status();
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.seed = TestSeed();
  options.device = TestDevice();
  PropertyOutcome outcome = RunProperty(DmaMapAgreement(), *legacy, options);
  std::cout << FormatOutcome(outcome);

  ASSERT_FALSE(outcome.passed) << "legacy passed: the checker missed the aliasing bug";
  ASSERT_TRUE(outcome.failure.has_value()) << outcome.message;
  const PropertyFailure& f = *outcome.failure;
  EXPECT_LE(f.commands, 4u);
  EXPECT_EQ(f.config.device, options.device);

  // Like every property failure, the shrunk sequence is written as a trace.
  if (!TestOutputsDir().empty()) {
    absl::StatusOr<std::string> path = WriteFailureTrace(outcome, "legacy", TestOutputsDir());
    ASSERT_TRUE(path.ok()) << path.status();
    std::cout << "failure trace: " << *path << "\n";
    absl::StatusOr<trace::Trace> written = ReadWholeTrace(*path);
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_EQ(static_cast<size_t>(written->events_size()), f.log.size());
    EXPECT_EQ(written->header().expect(0).rule(), OracleRuleName(f.divergence.rule));
  }
  EXPECT_TRUE(InvolvesAliasing(f)) << "the shrunk counterexample has no aliased section";
  EXPECT_FALSE(outcome.reproduce.empty());

  // The shrunk sequence is a real, replayable case: fed again to a fresh
  // harness it diverges at the same event under the same rule.
  Harness replay(f.config, *legacy);
  for (const StepRecord& r : f.log) ASSERT_TRUE(replay.Step(r.event).ok());
  ASSERT_TRUE(replay.failed());
  EXPECT_EQ(replay.divergence_index(), f.divergence_index);
  EXPECT_EQ(replay.divergence()->rule, f.divergence.rule);
}

TEST(LegacyTranslator, ReproduceStringReplaysTheSameCounterexample) {
  absl::StatusOr<TranslatorFactory> legacy = FindTranslator("legacy");
  ASSERT_TRUE(legacy.ok());
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.seed = TestSeed();
  options.device = TestDevice();
  PropertyOutcome first = RunProperty(DmaMapAgreement(), *legacy, options);
  ASSERT_TRUE(first.failure.has_value());
  options.reproduce = first.reproduce;
  PropertyOutcome again = RunProperty(DmaMapAgreement(), *legacy, options);
  ASSERT_TRUE(again.failure.has_value());
  EXPECT_EQ(FormatLog(again.failure->log), FormatLog(first.failure->log));
}

}  // namespace
}  // namespace iovacheck
