// The example plug-in of docs/plugins.md, run through the plug-in boundary:
// it holds every property (the strict first-fit one too: it allocates as
// QEMU does) and passes the aliasing cases that catch the single-tree design.
#include <string>

#include "gtest/gtest.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "traces/replay.h"
#include "translator/plugin/testdata/runfile.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

std::string Name() {
  return "plugin:" + Runfile("translator/plugin/example/list_translator.so");
}

class ExampleProperties : public testing::TestWithParam<PropertySpec> {};

TEST_P(ExampleProperties, Holds) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator(Name());
  ASSERT_TRUE(factory.ok()) << factory.status();
  RunOptions options;
  // Every call is a round trip to the plug-in's child process: two context
  // switches, most of this test's time (sys time, on a paravirtualised CI
  // machine). 200 cases per property keep it off CI's critical tail; the
  // in-process translators run the properties' full count.
  options.caller.cases = TestCases(200);
  options.seed = TestSeed();
  options.acked_features = AckedBackendFeatures(Name());
  // It implements no guest IOMMU notifier (list_translator.c's header).
  options.serves = [](const DeviceConfig& c) { return !c.viommu; };
  PropertyOutcome outcome = RunProperty(GetParam(), *factory, options);
  EXPECT_TRUE(outcome.passed) << FormatOutcome(outcome) << outcome.message;
  EXPECT_EQ(outcome.cases, outcome.settings.value.cases);
}

INSTANTIATE_TEST_SUITE_P(AllProperties, ExampleProperties,
                         testing::ValuesIn(AllProperties()),
                         [](const testing::TestParamInfo<PropertySpec>& info) {
                           return info.param.name;
                         });

TEST(ExamplePlugin, AcksOnlyWhatItImplements) {
  EXPECT_EQ(AckedBackendFeatures(Name()), (uint64_t{1} << 1) | (uint64_t{1} << 2));
}

TEST(ExamplePlugin, PassesTheAliasingCases) {
  for (const char* c : {"seeds_aliasing", "buried_alias_shrunk"}) {
    ReplayOptions options;
    options.translator = Name();
    ReplayResult r = ReplayTrace(Runfile(std::string("traces/regressions/") + c + ".textproto"),
                                 options);
    EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << c << "\n" << r.report;
  }
}

}  // namespace
}  // namespace iovacheck
