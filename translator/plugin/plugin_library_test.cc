#include "translator/plugin/plugin_library.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "translator/plugin/testdata/runfile.h"

namespace iovacheck {
namespace {

using ::testing::HasSubstr;

std::string Refusal(const std::string& path) {
  absl::StatusOr<const iovacheck_plugin*> p = LoadPlugin(path);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : std::string(p.status().message());
}

TEST(LoadPlugin, LoadsOurOwnTranslatorAsAPlugin) {
  absl::StatusOr<const iovacheck_plugin*> p =
      LoadPlugin(Runfile("translator/plugin/decoupled_plugin.so"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->abi_version, static_cast<uint32_t>(IOVACHECK_PLUGIN_ABI_VERSION));
  EXPECT_STREQ((*p)->name, "decoupled");
}

TEST(LoadPlugin, EachRefusalIsOneLineNamingThePathAndTheReason) {
  std::string missing = Runfile("translator/plugin/testdata/absent.so");
  EXPECT_EQ(Refusal(missing), "plug-in " + missing + ": no such file");
  EXPECT_THAT(Refusal(Runfile("translator/plugin/testdata/not_a_shared_object.so")),
              HasSubstr("not a loadable shared object"));
  EXPECT_THAT(Refusal(Runfile("translator/plugin/testdata/no_entry.so")),
              HasSubstr("does not export iovacheck_plugin_entry"));
  EXPECT_THAT(Refusal(Runfile("translator/plugin/testdata/wrong_abi.so")),
              HasSubstr("ABI version 2, but iovacheck speaks version 1"));
  EXPECT_THAT(Refusal(Runfile("translator/plugin")), HasSubstr("not a regular file"));
  for (const char* p : {"translator/plugin/testdata/not_a_shared_object.so",
                        "translator/plugin/testdata/no_entry.so"}) {
    EXPECT_EQ(Refusal(Runfile(p)).find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace iovacheck
