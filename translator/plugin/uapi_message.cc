#include "translator/plugin/uapi_message.h"

// The legacy vring helpers in <linux/virtio_ring.h> are C only.
#define VIRTIO_RING_NO_LEGACY
#include <linux/vhost_types.h>

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

static_assert(VHOST_IOTLB_MSG == kMsgV1 && VHOST_IOTLB_MSG_V2 == kMsgV2,
              "message versions follow the uAPI");
static_assert(VHOST_IOTLB_UPDATE == kIotlbUpdate && VHOST_IOTLB_INVALIDATE == kIotlbInvalidate &&
                  VHOST_IOTLB_BATCH_BEGIN == kIotlbBatchBegin &&
                  VHOST_IOTLB_BATCH_END == kIotlbBatchEnd,
              "message types follow the uAPI");

vhost_iotlb_msg ToUapi(const IotlbMsg& msg) {
  vhost_iotlb_msg m;
  std::memset(&m, 0, sizeof(m));
  m.iova = msg.iova;
  m.size = msg.size;
  m.uaddr = msg.uaddr;
  m.perm = msg.perm;
  m.type = msg.type;
  return m;
}

void FromUapi(const vhost_iotlb_msg& m, IotlbMsg* msg) {
  msg->iova = m.iova;
  msg->size = m.size;
  msg->uaddr = m.uaddr;
  msg->perm = m.perm;
  msg->type = m.type;
}

}  // namespace

std::string EncodeUapiMessage(const IotlbMsg& msg) {
  if (msg.version == kMsgV2) {
    vhost_msg_v2 m;
    std::memset(&m, 0, sizeof(m));
    m.type = VHOST_IOTLB_MSG_V2;
    m.asid = msg.asid;
    m.iotlb = ToUapi(msg);
    return std::string(reinterpret_cast<const char*>(&m), sizeof(m));
  }
  vhost_msg m;
  std::memset(&m, 0, sizeof(m));
  m.type = static_cast<int>(msg.version);
  m.iotlb = ToUapi(msg);
  return std::string(reinterpret_cast<const char*>(&m), sizeof(m));
}

absl::StatusOr<IotlbMsg> DecodeUapiMessage(const void* buf, size_t len) {
  uint32_t type = 0;
  if (buf == nullptr || len < sizeof(type)) {
    return absl::InvalidArgumentError(absl::StrFormat("a write of %u bytes holds no message type", len));
  }
  std::memcpy(&type, buf, sizeof(type));
  IotlbMsg msg;
  if (type == VHOST_IOTLB_MSG_V2) {
    // vhost_chr_write_iter copies the type and asid words, then the iotlb
    // member; a shorter write is refused.
    if (len < offsetof(vhost_msg_v2, iotlb) + sizeof(vhost_iotlb_msg)) {
      return absl::InvalidArgumentError(absl::StrFormat("a v2 message of %u bytes is short", len));
    }
    vhost_msg_v2 m;
    std::memcpy(&m, buf, std::min(len, sizeof(m)));
    msg.version = kMsgV2;
    msg.asid = m.asid;
    FromUapi(m.iotlb, &msg);
    return msg;
  }
  if (type == VHOST_IOTLB_MSG) {
    if (len < offsetof(vhost_msg, iotlb) + sizeof(vhost_iotlb_msg)) {
      return absl::InvalidArgumentError(absl::StrFormat("a v1 message of %u bytes is short", len));
    }
    vhost_msg m;
    std::memcpy(&m, buf, std::min(len, sizeof(m)));
    msg.version = kMsgV1;
    msg.asid = 0;
    FromUapi(m.iotlb, &msg);
    return msg;
  }
  return absl::InvalidArgumentError(absl::StrFormat("unknown message type %u", type));
}

}  // namespace iovacheck
