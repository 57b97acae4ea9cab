#include "translator/registry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "translator/recording_channel.h"

namespace iovacheck {
namespace {

TEST(Registry, ListsOurTranslatorsAndQemusPlugins) {
  EXPECT_EQ(TranslatorNames(),
            (std::vector<std::string>{"alias-id", "decoupled", "legacy", "qemu-10.0",
                                      "qemu-10.0-fixed", "qemu-7.2", "svq-window"}));
}

TEST(Registry, EveryNameBuildsAWorkingTranslator) {
  for (const std::string& name : TranslatorNames()) {
    absl::StatusOr<TranslatorFactory> factory = FindTranslator(name);
    ASSERT_TRUE(factory.ok()) << name;
    RecordingChannel ch;
    std::unique_ptr<Translator> t = (*factory)(DeviceConfig{}, &ch);
    ASSERT_NE(t, nullptr);
    GuestSection s;
    s.size = 0x2000;
    s.hva = 0x7f0000000000;
    t->ListenerBegin();
    EXPECT_EQ(t->RegionAdd(s), 0) << name;
    t->ListenerCommit();
    EXPECT_EQ(t->death(), std::nullopt) << name;
    // BATCH_BEGIN, UPDATE, BATCH_END: the default device acks IOTLB_BATCH.
    ASSERT_EQ(ch.messages.size(), 3u) << name;
    EXPECT_EQ(ch.messages[1].type, kIotlbUpdate) << name;
  }
}

TEST(Registry, UnknownNameListsTheKnownOnes) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator("qemu9");
  ASSERT_FALSE(factory.ok());
  EXPECT_TRUE(absl::IsNotFound(factory.status()));
  const std::string message(factory.status().message());
  EXPECT_NE(message.find("qemu9"), std::string::npos);
  EXPECT_NE(message.find("decoupled, legacy"), std::string::npos);
}

TEST(Registry, PluginNamesUseTheLoadersRefusal) {
  absl::StatusOr<TranslatorFactory> factory = FindTranslator("plugin:/nonexistent/x.so");
  ASSERT_FALSE(factory.ok());
  EXPECT_EQ(factory.status().message(), "plug-in /nonexistent/x.so: no such file");
}

TEST(Registry, FileLabelsHaveNoSlashes) {
  EXPECT_EQ(TranslatorFileLabel("qemu-10.0"), "qemu-10.0");
  EXPECT_EQ(TranslatorFileLabel("plugin:/a/b/my plugin.so"), "plugin-my_plugin");
}

}  // namespace
}  // namespace iovacheck
