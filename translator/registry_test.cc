#include "translator/registry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "translator/recording_channel.h"

namespace iovacheck {
namespace {

TEST(Registry, ListsBothTranslators) {
  EXPECT_EQ(TranslatorNames(),
            (std::vector<std::string>{"decoupled", "legacy"}));
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
    EXPECT_EQ(t->RegionAdd(s), 0) << name;
    EXPECT_EQ(ch.messages.size(), 1u) << name;
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

}  // namespace
}  // namespace iovacheck
