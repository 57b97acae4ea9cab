// Test double for the vhost-vdpa fd: records every message and answers with
// a scripted result, so translator tests need no device emulator.
#ifndef IOVACHECK_TRANSLATOR_RECORDING_CHANNEL_H_
#define IOVACHECK_TRANSLATOR_RECORDING_CHANNEL_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "model/iotlb_msg.h"
#include "model/vdpa_device.h"
#include "translator/translator.h"

namespace iovacheck {

class RecordingChannel : public IotlbChannel {
 public:
  WriteResult Write(const IotlbMsg& msg) override {
    messages.push_back(msg);
    if (scripted.empty()) return WriteResult{};
    const WriteResult r = scripted.front();
    scripted.pop_front();
    return r;
  }

  // Answers for the next writes, in order; success once they run out.
  void FailNext(int err, int handler_err) {
    WriteResult r;
    r.err = err;
    r.handler_err = handler_err;
    scripted.push_back(r);
  }
  void SucceedNext() { scripted.push_back(WriteResult{}); }

  std::vector<IotlbMsg> messages;
  std::deque<WriteResult> scripted;
};

// Message builders for expectations.
inline IotlbMsg Update(uint32_t asid, uint64_t iova, uint64_t size,
                       uint64_t uaddr, uint8_t perm, uint32_t version = kMsgV2) {
  IotlbMsg m;
  m.version = version;
  m.asid = asid;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = perm;
  m.type = kIotlbUpdate;
  return m;
}

inline IotlbMsg Invalidate(uint32_t asid, uint64_t iova, uint64_t size,
                           uint32_t version = kMsgV2) {
  IotlbMsg m;
  m.version = version;
  m.asid = asid;
  m.iova = iova;
  m.size = size;
  m.type = kIotlbInvalidate;
  return m;
}

inline IotlbMsg BatchMsg(uint8_t type, uint32_t version = kMsgV2) {
  IotlbMsg m;
  m.version = version;
  m.type = type;
  return m;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_RECORDING_CHANNEL_H_
