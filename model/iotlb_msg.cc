#include "model/iotlb_msg.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

std::string PermToString(uint8_t perm) {
  switch (perm) {
    case kPermNone:
      return "none";
    case kPermRO:
      return "RO";
    case kPermWO:
      return "WO";
    case kPermRW:
      return "RW";
  }
  return absl::StrFormat("perm 0x%x", perm);
}

std::string IotlbTypeToString(uint8_t type) {
  switch (type) {
    case kIotlbMiss:
      return "MISS";
    case kIotlbUpdate:
      return "UPDATE";
    case kIotlbInvalidate:
      return "INVALIDATE";
    case kIotlbAccessFail:
      return "ACCESS_FAIL";
    case kIotlbBatchBegin:
      return "BATCH_BEGIN";
    case kIotlbBatchEnd:
      return "BATCH_END";
  }
  return absl::StrFormat("type %u", type);
}

std::string IotlbMsgToString(const IotlbMsg& msg) {
  // v1 carries no asid, so printing one would be misleading.
  std::string out = IotlbTypeToString(msg.type);
  if (msg.version == kMsgV2) {
    absl::StrAppendFormat(&out, " v2 asid %u", msg.asid);
  } else {
    absl::StrAppendFormat(&out, " v%u", msg.version);
  }
  // Batch markers ignore every other field.
  if (msg.type == kIotlbBatchBegin || msg.type == kIotlbBatchEnd) return out;

  // A size of 0 has no meaningful closed range (INVALIDATE treats it as
  // last = iova - 1), so print it raw rather than an inverted interval.
  if (msg.size == 0) {
    absl::StrAppendFormat(&out, " iova 0x%x size 0x0", msg.iova);
  } else {
    absl::StrAppendFormat(&out, " iova [0x%x, 0x%x] size 0x%x", msg.iova,
                          msg.iova + msg.size - 1, msg.size);
  }
  // INVALIDATE's uaddr and perm are ignored by the kernel.
  if (msg.type == kIotlbInvalidate) return out;
  absl::StrAppendFormat(&out, " uaddr 0x%x perm %s", msg.uaddr,
                        PermToString(msg.perm));
  return out;
}

}  // namespace iovacheck
