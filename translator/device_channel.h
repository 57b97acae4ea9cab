// A device as a translator's fd: every message is one write() on it. Counts
// the writes the device refused, for tests that expect none.
#ifndef IOVACHECK_TRANSLATOR_DEVICE_CHANNEL_H_
#define IOVACHECK_TRANSLATOR_DEVICE_CHANNEL_H_

#include "model/device.h"
#include "translator/translator.h"

namespace iovacheck {

class DeviceChannel : public IotlbChannel {
 public:
  explicit DeviceChannel(Device* device) : device_(device) {}
  WriteResult Write(const IotlbMsg& msg) override {
    const WriteResult r = device_->Write(msg);
    if (!r.ok()) ++refused_;
    return r;
  }
  int refused() const { return refused_; }

 private:
  Device* device_;
  int refused_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_DEVICE_CHANNEL_H_
