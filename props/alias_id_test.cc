// The alias-id single tree (seed 004's RFC: nodes carry the id of the
// section that made them, and region_del matches HVA and id) fixes what
// region_del removes, but its datapath still looks a buffer up by HVA alone.
// The properties must find that, shrunk to an aliased pair of sections and
// one translated buffer.
#include <gtest/gtest.h>

#include <iostream>

#include "props/failure_trace.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

PropertySpec DmaMapAgreement() { return FindProperty("dma_map_agreement").value(); }

TEST(AliasIdTranslator, DatapathLookupByHvaIsFoundAndShrunk) {
  absl::StatusOr<TranslatorFactory> alias_id = FindTranslator("alias-id");
  ASSERT_TRUE(alias_id.ok()) << alias_id.status();
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.seed = TestSeed();
  options.device = TestDevice();
  PropertyOutcome outcome = RunProperty(DmaMapAgreement(), *alias_id, options);
  std::cout << FormatOutcome(outcome);

  ASSERT_FALSE(outcome.passed) << "alias-id passed: the checker missed its datapath lookup";
  ASSERT_TRUE(outcome.failure.has_value()) << outcome.message;
  const PropertyFailure& f = *outcome.failure;
  EXPECT_EQ(f.divergence.rule, OracleRule::kDatapath) << FormatOutcome(outcome);
  EXPECT_LE(f.commands, 4u);
  EXPECT_TRUE(InvolvesAliasing(f)) << "the shrunk counterexample has no aliased section";
  if (!TestOutputsDir().empty()) {
    absl::StatusOr<std::string> path = WriteFailureTrace(outcome, "alias-id", TestOutputsDir());
    ASSERT_TRUE(path.ok()) << path.status();
    std::cout << "failure trace: " << *path << "\n";
  }
}

}  // namespace
}  // namespace iovacheck
