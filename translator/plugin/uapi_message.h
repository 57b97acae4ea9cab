// The bytes a plug-in writes to the vhost-vdpa fd, as the kernel's uAPI lays
// them out (struct vhost_msg_v2, or the v1 struct vhost_msg, from the
// system's <linux/vhost_types.h>), converted to and from our IotlbMsg.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_UAPI_MESSAGE_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_UAPI_MESSAGE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "model/iotlb_msg.h"

namespace iovacheck {

// The write() payload for `msg`: a vhost_msg_v2 when msg.version is 2, else a
// vhost_msg.
std::string EncodeUapiMessage(const IotlbMsg& msg);

// What the kernel reads from a write() of `len` bytes: the first 32-bit word
// says the version (VHOST_IOTLB_MSG or VHOST_IOTLB_MSG_V2) and the length must
// hold that structure's iotlb member. InvalidArgument otherwise (write() then
// fails with EINVAL, as vhost_chr_write_iter does).
absl::StatusOr<IotlbMsg> DecodeUapiMessage(const void* buf, size_t len);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_UAPI_MESSAGE_H_
