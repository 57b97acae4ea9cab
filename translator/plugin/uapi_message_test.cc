#include "translator/plugin/uapi_message.h"

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

IotlbMsg Update(uint32_t version) {
  IotlbMsg m;
  m.version = version;
  m.asid = version == kMsgV2 ? 1 : 0;
  m.iova = 0x1000;
  m.size = 0x2000;
  m.uaddr = 0x7f0000001000;
  m.perm = kPermRO;
  m.type = kIotlbUpdate;
  return m;
}

TEST(UapiMessage, V2RoundTripsWithItsAddressSpace) {
  std::string bytes = EncodeUapiMessage(Update(kMsgV2));
  EXPECT_EQ(bytes.size(), 72u);  // sizeof(struct vhost_msg_v2): 8 + a 64-byte union
  absl::StatusOr<IotlbMsg> back = DecodeUapiMessage(bytes.data(), bytes.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, Update(kMsgV2));
}

TEST(UapiMessage, V1RoundTripsWithoutAddressSpace) {
  std::string bytes = EncodeUapiMessage(Update(kMsgV1));
  absl::StatusOr<IotlbMsg> back = DecodeUapiMessage(bytes.data(), bytes.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, Update(kMsgV1));
}

TEST(UapiMessage, FieldsSitWhereTheKernelReadsThem) {
  std::string bytes = EncodeUapiMessage(Update(kMsgV2));
  uint32_t type = 0, asid = 0;
  uint64_t iova = 0;
  std::memcpy(&type, bytes.data(), 4);
  std::memcpy(&asid, bytes.data() + 4, 4);
  std::memcpy(&iova, bytes.data() + 8, 8);
  EXPECT_EQ(type, 2u);
  EXPECT_EQ(asid, 1u);
  EXPECT_EQ(iova, 0x1000u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[8 + 24]), kPermRO);
  EXPECT_EQ(static_cast<uint8_t>(bytes[8 + 25]), kIotlbUpdate);
}

TEST(UapiMessage, ShortOrUnknownWritesAreRefused) {
  std::string bytes = EncodeUapiMessage(Update(kMsgV2));
  EXPECT_FALSE(DecodeUapiMessage(bytes.data(), 3).ok());
  EXPECT_FALSE(DecodeUapiMessage(bytes.data(), 8 + 25).ok());
  bytes[0] = 7;
  EXPECT_FALSE(DecodeUapiMessage(bytes.data(), bytes.size()).ok());
  EXPECT_FALSE(DecodeUapiMessage(nullptr, 0).ok());
}

}  // namespace
}  // namespace iovacheck
