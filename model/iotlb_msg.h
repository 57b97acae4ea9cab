// The vhost IOTLB message as userspace writes it to a vhost-vdpa fd.
// Fields are raw integers on purpose: perm is not validated by the kernel and
// type may be anything a buggy writer sends, and the emulator must see it all.
#ifndef IOVACHECK_MODEL_IOTLB_MSG_H_
#define IOVACHECK_MODEL_IOTLB_MSG_H_

#include <cstdint>
#include <string>

namespace iovacheck {

// VHOST_ACCESS_* permission bits.
inline constexpr uint8_t kPermNone = 0;
inline constexpr uint8_t kPermRO = 1;
inline constexpr uint8_t kPermWO = 2;
inline constexpr uint8_t kPermRW = 3;

// VHOST_IOTLB_* message types.
inline constexpr uint8_t kIotlbMiss = 1;
inline constexpr uint8_t kIotlbUpdate = 2;
inline constexpr uint8_t kIotlbInvalidate = 3;
inline constexpr uint8_t kIotlbAccessFail = 4;
inline constexpr uint8_t kIotlbBatchBegin = 5;
inline constexpr uint8_t kIotlbBatchEnd = 6;

// VHOST_IOTLB_MSG (v1, no address space id) and VHOST_IOTLB_MSG_V2.
inline constexpr uint32_t kMsgV1 = 1;
inline constexpr uint32_t kMsgV2 = 2;

struct IotlbMsg {
  uint32_t version = kMsgV2;
  uint32_t asid = 0;  // ignored for v1, and for v2 without the ASID feature
  uint64_t iova = 0;
  uint64_t size = 0;
  uint64_t uaddr = 0;
  uint8_t perm = kPermNone;
  uint8_t type = 0;

  bool operator==(const IotlbMsg& o) const {
    return version == o.version && asid == o.asid && iova == o.iova &&
           size == o.size && uaddr == o.uaddr && perm == o.perm && type == o.type;
  }
};

// "UPDATE asid 0 iova [0x1000, 0x2fff] uaddr 0x7f... RW" and the like.
std::string IotlbMsgToString(const IotlbMsg& msg);
std::string PermToString(uint8_t perm);
std::string IotlbTypeToString(uint8_t type);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_IOTLB_MSG_H_
