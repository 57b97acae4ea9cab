#include "sim/harness.h"

#include <cerrno>
#include <cstring>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "model/check_datapath.h"
#include "model/oracle.h"

namespace iovacheck {

// The translator's fd: forwards to the device and records what was sent.
class Harness::RecordingChannel : public IotlbChannel {
 public:
  explicit RecordingChannel(VdpaDevice* device) : device_(device) {}
  WriteResult Write(const IotlbMsg& msg) override {
    WriteResult r = device_->Write(msg);
    if (sink_ != nullptr) sink_->push_back({msg, r});
    return r;
  }
  void set_sink(std::vector<SentMessage>* sink) { sink_ = sink; }

 private:
  VdpaDevice* device_;
  std::vector<SentMessage>* sink_ = nullptr;
};

namespace {

GuestSection ToGuestSection(const Section& s) {
  return GuestSection{s.gpa, s.size, s.hva, s.readonly, s.ram};
}

bool SameSection(const Section& a, const Section& b) {
  return a.gpa == b.gpa && a.size == b.size && a.hva == b.hva &&
         a.readonly == b.readonly && a.ram == b.ram;
}

Divergence TranslatorError(const std::string& what, int rc) {
  Divergence d;
  d.rule = OracleRule::kTranslatorError;
  d.expected = absl::StrFormat("%s succeeds", what);
  d.actual = absl::StrFormat("the translator returned %d (%s)", rc, std::strerror(rc));
  return d;
}

absl::Status CallerError(const std::string& message) {
  return absl::InvalidArgumentError(message);
}

}  // namespace

Harness::Harness(const DeviceConfig& config, const TranslatorFactory& factory,
                 HarnessOptions options)
    : options_(options),
      model_(config),
      device_(config),
      channel_(std::make_unique<RecordingChannel>(&device_)),
      translator_(factory(config, channel_.get())) {}

Harness::~Harness() = default;

absl::Status Harness::Validate(const Event& event) const {
  // The device may be reset or DMA at any time, even mid-transaction.
  if (std::holds_alternative<DeviceResetEvent>(event)) return absl::OkStatus();
  if (const auto* e = std::get_if<DeviceDmaEvent>(&event)) {
    if (absl::uint128(e->iova) + e->len > (absl::uint128(1) << 64)) {
      return CallerError(absl::StrFormat("device_dma at 0x%x length 0x%x wraps", e->iova,
                                         e->len));
    }
    return absl::OkStatus();
  }
  const bool listener_event = std::holds_alternative<RegionAddEvent>(event) ||
                              std::holds_alternative<RegionDelEvent>(event) ||
                              std::holds_alternative<ListenerCommitEvent>(event);
  if (std::holds_alternative<ListenerBeginEvent>(event)) {
    if (in_transaction_) return CallerError("listener_begin inside a transaction");
    return absl::OkStatus();
  }
  if (listener_event) {
    if (!in_transaction_) {
      return CallerError(absl::StrFormat("%s outside a listener transaction",
                                         EventKind(event)));
    }
  } else if (in_transaction_) {
    return CallerError(absl::StrFormat("%s inside a listener transaction",
                                       EventKind(event)));
  }
  if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    const Section* live = model_.guest().Find(e->section.gpa);
    if (live == nullptr || !SameSection(*live, e->section)) {
      return absl::NotFoundError(absl::StrFormat(
          "region_del of %s, which is not a live section", SectionToString(e->section)));
    }
  }
  if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    const HostBuffer* live = model_.host().Find(e->hva);
    if (live == nullptr || live->hva != e->hva || live->size != e->size ||
        live->asid != e->asid) {
      return absl::NotFoundError(absl::StrFormat(
          "host_unmap of hva [0x%x, +0x%x) asid %u, which is not a live host buffer",
          e->hva, e->size, e->asid));
    }
  }
  if (const auto* e = std::get_if<TranslateEvent>(&event)) {
    if (e->iovecs.empty()) return CallerError("translate of an empty buffer");
    for (const Iovec& v : e->iovecs) {
      uint64_t start = v.has_gpa ? v.gpa : v.hva;
      if (v.len == 0 || absl::uint128(start) + v.len > (absl::uint128(1) << 64)) {
        return CallerError(absl::StrFormat(
            "translate element at 0x%x with length 0x%x is empty or wraps", start, v.len));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Harness::Step(const Event& event) {
  if (failed()) return absl::OkStatus();
  if (absl::Status s = Validate(event); !s.ok()) return s;
  // The model takes the event first: it refuses bad input before the
  // translator ever sees it.
  if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
    if (absl::Status s = model_.AddSection(e->section); !s.ok()) return s;
  } else if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    if (auto s = model_.RemoveSection(e->section.gpa, e->section.size); !s.ok()) {
      return s.status();
    }
  } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    if (absl::Status s = model_.AddHostBuffer(e->buffer); !s.ok()) return s;
  } else if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    if (auto s = model_.RemoveHostBuffer(e->hva, e->size); !s.ok()) return s.status();
  }

  if (!options_.keep_log) log_.clear();
  ++events_applied_;
  log_.push_back(StepRecord{event, {}, 0, {}, {}});
  StepRecord& record = log_.back();
  channel_->set_sink(&record.sent);
  std::optional<Divergence> d = Apply(event, record);
  channel_->set_sink(nullptr);
  if (d) {
    divergence_ = std::move(d);
    divergence_index_ = events_applied_ - 1;
  }
  return absl::OkStatus();
}

std::optional<Divergence> Harness::Apply(const Event& event, StepRecord& record) {
  if (std::holds_alternative<ListenerBeginEvent>(event)) {
    in_transaction_ = true;
    translator_->ListenerBegin();
  } else if (std::holds_alternative<ListenerCommitEvent>(event)) {
    translator_->ListenerCommit();
    in_transaction_ = false;
  } else if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
    record.rc = translator_->RegionAdd(ToGuestSection(e->section));
    if (record.rc != 0) return TranslatorError("region_add", record.rc);
  } else if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    record.rc = translator_->RegionDel(ToGuestSection(e->section));
    if (record.rc != 0) return TranslatorError("region_del", record.rc);
  } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    const HostBuffer& b = e->buffer;
    record.rc = translator_->MapHostBuffer(b.hva, b.size, b.perm, b.asid);
    if (record.rc != 0) return TranslatorError("host_map", record.rc);
  } else if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    record.rc = translator_->UnmapHostBuffer(e->hva, e->size, e->asid);
    if (record.rc != 0) return TranslatorError("host_unmap", record.rc);
  } else if (std::holds_alternative<DeviceResetEvent>(event)) {
    device_.Reset();
  } else if (const auto* e = std::get_if<DeviceDmaEvent>(&event)) {
    record.rc = device_.Dma(e->asid, e->iova, e->len,
                            e->device_writes ? kPermWO : kPermRO, &record.dma);
  } else if (const auto* e = std::get_if<TranslateEvent>(&event)) {
    record.rc = translator_->TranslateBuffer(e->iovecs, &record.iovas);
    if (auto d = CheckDatapath(model_, device_, e->iovecs, record.rc, record.iovas)) {
      return d;
    }
  }
  OracleOptions options;
  options.quiescent = !in_transaction_;
  options.strict = options_.strict;
  return CheckState(model_, device_, translator_->Allocations(), options);
}

std::string FormatLog(const std::vector<StepRecord>& log) {
  std::string out;
  for (size_t i = 0; i < log.size(); ++i) {
    const StepRecord& r = log[i];
    absl::StrAppendFormat(&out, "  #%-3u %s\n", i, EventToString(r.event));
    for (const SentMessage& m : r.sent) {
      std::string answer =
          m.result.ok() ? "ok"
                        : absl::StrFormat("%s (handler %s)", std::strerror(m.result.err),
                                          std::strerror(m.result.handler_err));
      absl::StrAppendFormat(&out, "         -> %s => %s\n", IotlbMsgToString(m.msg),
                            answer);
    }
    if (std::holds_alternative<DeviceDmaEvent>(r.event)) {
      if (r.rc != 0) {
        absl::StrAppendFormat(&out, "         <- DMA refused (%s)\n", std::strerror(r.rc));
      }
      for (const DmaSegment& s : r.dma) {
        absl::StrAppendFormat(&out, "         <- hva [0x%x, +0x%x)\n", s.hva, s.len);
      }
    } else if (std::holds_alternative<TranslateEvent>(r.event)) {
      if (r.rc != 0) {
        absl::StrAppendFormat(&out, "         <- refused (%s)\n", std::strerror(r.rc));
      } else {
        for (uint64_t iova : r.iovas) {
          absl::StrAppendFormat(&out, "         <- iova 0x%x\n", iova);
        }
      }
    } else if (r.rc != 0) {
      absl::StrAppendFormat(&out, "         <- error %s\n", std::strerror(r.rc));
    }
  }
  return out;
}

}  // namespace iovacheck
