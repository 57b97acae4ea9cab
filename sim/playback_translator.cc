#include "sim/playback_translator.h"

#include <cstring>

#include "absl/strings/str_format.h"
#include "model/errno_text.h"

namespace iovacheck {

PlaybackTranslator::PlaybackTranslator(const DeviceConfig& config, IotlbChannel* channel)
    : channel_(channel), mapped_(config.num_as) {}

void PlaybackTranslator::Load(const StepRecord& recorded, bool answers_recorded) {
  loaded_ = recorded;
  answers_recorded_ = answers_recorded;
}

int PlaybackTranslator::Play() {
  for (const SentMessage& m : loaded_.sent) {
    const WriteResult got = channel_->Write(m.msg);
    if (answers_recorded_ && got.err != m.result.err && !mismatch_) {
      mismatch_ = absl::StrFormat(
          "%s: the recording says write() returned %s, the emulated device returns %s",
          IotlbMsgToString(m.msg), m.result.err ? ErrnoText(m.result.err) : "0",
          got.err ? ErrnoText(got.err) : "0");
    }
    if (!got.ok()) continue;
    // Follow what the device accepted, whole entries as the kernel does.
    const uint32_t asid = m.msg.version == kMsgV1 ? 0 : m.msg.asid;
    if (asid >= mapped_.size()) continue;
    const uint64_t last = m.msg.iova + m.msg.size - 1;
    if (m.msg.type == kIotlbUpdate) {
      mapped_[asid].Add(IotlbEntry{m.msg.iova, last, m.msg.uaddr, m.msg.perm});
    } else if (m.msg.type == kIotlbInvalidate) {
      mapped_[asid].RemoveOverlapping(m.msg.iova, last);
    }
  }
  loaded_.sent.clear();
  return loaded_.rc;
}

int PlaybackTranslator::TranslateBuffer(const std::vector<Iovec>&,
                                        std::vector<uint64_t>* iovas) {
  const int rc = Play();
  *iovas = loaded_.iovas;
  return rc;
}

std::vector<IovaAllocation> PlaybackTranslator::Allocations() const {
  std::vector<IovaAllocation> out;
  for (const IntervalTable& table : mapped_) {
    for (const IotlbEntry& e : table.Entries()) out.push_back({e.start, e.last - e.start + 1});
  }
  return out;
}

}  // namespace iovacheck
