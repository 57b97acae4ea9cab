// QEMU's own code as the system under test (third_party/qemu): QEMU 7.2's
// single IOVA->HVA tree is caught by the default scenario and the default
// properties, and its shrunk failure is the seeds' aliasing pattern; QEMU
// 10.0 with our fixes passes the default scenario, faults on.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "sim/campaign_shrink.h"
#include "sim/scenario.h"
#include "sim/simulator.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

TEST(Qemu72, TheDefaultScenarioFindsTheAliasingBugWithin200Seeds) {
  SimulationOptions o;
  o.scenario = ScenarioNames().front();
  o.translator = "qemu-7.2";
  SimulationResult r;
  for (o.seed = 1; o.seed <= 200; ++o.seed) {
    r = RunSimulation(o);
    ASSERT_NE(r.verdict, SimulationVerdict::kError) << r.report;
    if (r.verdict == SimulationVerdict::kFail) break;
  }
  ASSERT_EQ(r.verdict, SimulationVerdict::kFail) << "no failure in seeds 1..200";

  absl::StatusOr<FailureArtifacts> a =
      RecordAndShrink(o, std::getenv("TEST_TMPDIR"), absl::InfiniteDuration());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_FALSE(a->minimal_path.empty()) << a->not_shrunk;
  EXPECT_EQ(a->identity, "rule coverage at a region_del");
  absl::StatusOr<trace::Trace> minimal = ReadWholeTrace(a->minimal_path);
  ASSERT_TRUE(minimal.ok()) << minimal.status();

  // RAM, an alias whose host memory lies inside the RAM's, the alias deleted.
  std::vector<trace::Section> added;
  std::vector<trace::Section> deleted;
  for (const trace::Event& e : minimal->events()) {
    if (e.has_region_add()) added.push_back(e.region_add().section());
    if (e.has_region_del()) deleted.push_back(e.region_del().section());
  }
  ASSERT_EQ(added.size(), 2u) << minimal->DebugString();
  ASSERT_EQ(deleted.size(), 1u) << minimal->DebugString();
  const trace::Section& ram = added[0];
  const trace::Section& alias = added[1];
  EXPECT_EQ(deleted[0].gpa(), alias.gpa());
  EXPECT_GE(alias.hva(), ram.hva());
  EXPECT_LE(alias.hva() + alias.size(), ram.hva() + ram.size());
  EXPECT_NE(alias.gpa(), ram.gpa());
}

// Seeds 41, 50, 54 and 55 reset the device inside a listener transaction
// while the CVQ lives in address space 1: the glue used to stop the device
// with the transaction's batch still open, which the kernel binds to address
// space 0, and call the refused CVQ unmaps a failed recovery.
TEST(Qemu100Fixed, PassesTheDefaultScenarioFirstSeeds) {
  SimulationOptions o;
  o.scenario = ScenarioNames().front();
  o.translator = "qemu-10.0-fixed";
  const uint64_t seeds = static_cast<uint64_t>(TestCases(60));
  for (o.seed = 1; o.seed <= seeds; ++o.seed) {
    SimulationResult r = RunSimulation(o);
    EXPECT_EQ(r.verdict, SimulationVerdict::kPass) << "seed " << o.seed << "\n" << r.report;
  }
}

TEST(Qemu72, TheDefaultPropertiesFail) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator("qemu-7.2");
  ASSERT_TRUE(factory.ok()) << factory.status();
  RunOptions options;
  options.caller.cases = 300;
  options.seed = TestSeed();
  options.acked_features = AckedBackendFeatures("qemu-7.2");
  int failed = 0;
  for (const PropertySpec& spec : AllProperties()) {
    PropertyOutcome outcome = RunProperty(spec, *factory, options);
    if (!outcome.passed) ++failed;
    std::cout << FormatOutcome(outcome);
  }
  EXPECT_EQ(failed, static_cast<int>(AllProperties().size()));
}

}  // namespace
}  // namespace iovacheck
