#include "props/property_settings.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

GetEnv Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

const PropertySettings kDeclared{1500, 120, DeviceKind::kSetMap};

TEST(PropertySettings, ThePropertysOwnWhenNothingOverrides) {
  absl::StatusOr<EffectiveSettings> s = ResolveSettings(kDeclared, {}, {}, Env({}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->value.cases, 1500);
  EXPECT_EQ(s->value.max_length, 120);
  EXPECT_EQ(s->value.kind, DeviceKind::kSetMap);
  EXPECT_EQ(FormatSettings(*s),
            "cases 1500 (property), max length 120 (property), device kind set_map (property), "
            "features v2,batch,asid,persist (property)");
}

TEST(PropertySettings, TestThenEnvironmentThenCommandLine) {
  SettingsLayer test;
  test.cases = 150;
  SettingsLayer cli;
  cli.max_length = 50;
  absl::StatusOr<EffectiveSettings> s = ResolveSettings(kDeclared, test, cli,
                                                        Env({{"IOVACHECK_CASES", "9000"},
                                                             {"IOVACHECK_MAX_LENGTH", "80"},
                                                             {"IOVACHECK_DEVICE_KIND", "any"},
                                                             {"IOVACHECK_FEATURES", "v2,asid"}}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->value.cases, 9000);     // the environment beats the test's scale
  EXPECT_EQ(s->value.max_length, 50);  // the command line beats the environment
  EXPECT_FALSE(s->value.kind.has_value());
  EXPECT_EQ(s->value.features,
            (uint64_t{1} << kFeatureIotlbMsgV2) | (uint64_t{1} << kFeatureIotlbAsid));
  EXPECT_EQ(FormatSettings(*s),
            "cases 9000 (IOVACHECK_CASES), max length 50 (--max_length), device kind any "
            "(IOVACHECK_DEVICE_KIND), features v2,asid (IOVACHECK_FEATURES)");
  s = ResolveSettings(kDeclared, test, {}, Env({}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->value.cases, 150);
  EXPECT_EQ(s->cases_from, "test");
}

TEST(PropertySettings, BadValuesNameWhereTheyCameFrom) {
  absl::StatusOr<EffectiveSettings> s =
      ResolveSettings(kDeclared, {}, {}, Env({{"IOVACHECK_CASES", "lots"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "IOVACHECK_CASES=lots: want a positive number");
  SettingsLayer cli;
  cli.cases = 0;
  s = ResolveSettings(kDeclared, {}, cli, Env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "--cases=0: want a positive number");
  s = ResolveSettings(kDeclared, {}, {}, Env({{"IOVACHECK_DEVICE_KIND", "vfio"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "IOVACHECK_DEVICE_KIND=vfio: want dma_map, set_map or any");
  SettingsLayer features;
  features.features = "v2,iommu";
  s = ResolveSettings(kDeclared, {}, features, Env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "--features=v2,iommu: unknown feature 'iommu' (v2, batch, asid, persist, all or none)");
}

}  // namespace
}  // namespace iovacheck
