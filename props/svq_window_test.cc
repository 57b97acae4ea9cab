// svq-window (seed 004's linear SVQ window, translator/svq_window.h) keeps
// guest memory as decoupled does and host buffers at window + arena offset.
// Every rule of the agreement properties must hold for it; QEMU's exact
// first-fit placement cannot, by design (host buffers do not come from the
// allocator), and the strict property must say so at a host_map. Nor can it
// serve a device whose IOVA range is too small to hold the window above
// some guest memory: there every host buffer is refused where QEMU's first
// fit would place it (found once the properties drew small ranges).
#include <gtest/gtest.h>

#include <cerrno>
#include <iostream>
#include <variant>

#include "model/host_arena_layout.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "translator/registry.h"
#include "translator/svq_window.h"

namespace iovacheck {
namespace {

TranslatorFactory SvqWindow() {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator("svq-window");
  EXPECT_TRUE(factory.ok()) << factory.status();
  return *factory;
}

bool WindowFits(const DeviceConfig& c) {
  return PlaceSvqWindow(c, HostArenaBytes(c.page_size)).has_value();
}

RunOptions Options() {
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.caller.cases = TestCases(1000);
  options.seed = TestSeed();
  options.device = TestDevice();
  return options;
}

TEST(SvqWindowTranslator, HoldsTheAgreementProperties) {
  RunOptions options = Options();
  options.serves = WindowFits;
  for (const char* name : {"dma_map_agreement", "set_map_agreement"}) {
    PropertyOutcome outcome = RunProperty(FindProperty(name).value(), SvqWindow(), options);
    std::cout << FormatOutcome(outcome);
    EXPECT_TRUE(outcome.passed) << FormatOutcome(outcome) << outcome.message;
  }
}

TEST(SvqWindowTranslator, PlacesHostBuffersOutsideQemusFirstFit) {
  PropertyOutcome outcome =
      RunProperty(FindProperty("first_fit_strict").value(), SvqWindow(), Options());
  std::cout << FormatOutcome(outcome);
  ASSERT_FALSE(outcome.passed) << "host buffers were placed by first fit, not in the window";
  ASSERT_TRUE(outcome.failure.has_value()) << outcome.message;
  const PropertyFailure& f = *outcome.failure;
  EXPECT_EQ(f.divergence.rule, OracleRule::kStrictIova) << FormatOutcome(outcome);
  ASSERT_LT(f.divergence_index, f.log.size());
  EXPECT_TRUE(std::holds_alternative<HostMapEvent>(f.log[f.divergence_index].event))
      << "guest memory left QEMU's layout: " << FormatOutcome(outcome);
}

TEST(SvqWindowTranslator, RefusesHostBuffersWhereTheWindowDoesNotFit) {
  RunOptions options = Options();
  options.serves = [](const DeviceConfig& c) { return !c.viommu && !WindowFits(c); };
  PropertyOutcome outcome =
      RunProperty(FindProperty("dma_map_agreement").value(), SvqWindow(), options);
  std::cout << FormatOutcome(outcome);
  ASSERT_FALSE(outcome.passed) << "a host buffer was mapped with no room for the window";
  ASSERT_TRUE(outcome.failure.has_value()) << outcome.message;
  const PropertyFailure& f = *outcome.failure;
  EXPECT_EQ(f.divergence.rule, OracleRule::kTranslatorError) << FormatOutcome(outcome);
  ASSERT_LT(f.divergence_index, f.log.size());
  EXPECT_TRUE(std::holds_alternative<HostMapEvent>(f.log[f.divergence_index].event))
      << FormatOutcome(outcome);
  EXPECT_EQ(f.log[f.divergence_index].rc, ENOMEM) << FormatOutcome(outcome);
}

}  // namespace
}  // namespace iovacheck
