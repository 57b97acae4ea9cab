#include "sim/harness.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <tuple>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "devices/device_registry.h"
#include "model/check_datapath.h"
#include "model/errno_text.h"
#include "model/vdpa_device.h"
#include "model/oracle.h"

namespace iovacheck {

// The translator's fd: asks the fault sites first, else forwards to the
// device; records what was sent and what came back.
class Harness::RecordingChannel : public IotlbChannel {
 public:
  RecordingChannel(Device* device, ChannelFaults* faults)
      : device_(device), faults_(faults) {}
  WriteResult Write(const IotlbMsg& msg) override {
    WriteResult r;
    std::optional<InjectedFault> fault;
    if (faults_ != nullptr && record_ != nullptr) {
      fault = faults_->Intercept(record_->event, record_->sent.size(), msg);
    }
    if (fault) {
      fault->message_index = record_->sent.size();
      r = WriteResult{fault->error, fault->error};
      record_->faults.push_back(*fault);
    } else {
      r = device_->Write(msg);
    }
    if (record_ != nullptr) record_->sent.push_back({msg, r});
    return r;
  }
  void set_record(StepRecord* record) { record_ = record; }

 private:
  Device* device_;
  ChannelFaults* faults_;
  StepRecord* record_ = nullptr;
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
  d.actual = absl::StrFormat("the translator returned %d (%s)", rc, ErrnoText(rc));
  return d;
}

// "CRASH signal 11 (SIGSEGV) at event 5", "HANG at event 5".
Divergence DeathDivergence(const TranslatorDeath& death, const Event& event, size_t index) {
  Divergence d;
  d.expected = absl::StrFormat("the translator returns from %s", EventKind(event));
  switch (death.kind) {
    case TranslatorDeath::Kind::kSignal:
      d.rule = OracleRule::kCrash;
      d.death = death.detail;
      d.actual = absl::StrFormat("CRASH signal %d (%s) at event %u", death.code, death.detail,
                                 index);
      break;
    case TranslatorDeath::Kind::kExit:
      d.rule = OracleRule::kCrash;
      d.death = death.code < 0 ? "broken" : absl::StrFormat("exit %d", death.code);
      d.actual = absl::StrFormat("CRASH %s at event %u", death.detail, index);
      break;
    case TranslatorDeath::Kind::kHang:
      d.rule = OracleRule::kHang;
      d.death = "hang";
      d.actual = absl::StrFormat("HANG at event %u (%s)", index, death.detail);
      break;
  }
  for (const std::string& line : death.last_log) {
    absl::StrAppendFormat(&d.actual, "\n    plug-in log: %s", line);
  }
  return d;
}

// "CRASH SIGSEGV in linux-6.12 during write() of ... at event 5": the
// kernel's own code died (devices/isolated_kernel_device.h).
Divergence DeviceDeathDivergence(const DeviceDeath& death, const DeviceConfig& config,
                                 size_t index) {
  Divergence d;
  d.rule = death.hang ? OracleRule::kHang : OracleRule::kCrash;
  d.death = death.hang ? "hang" : death.detail;
  d.expected = absl::StrFormat("%s's code returns from %s", config.device, death.during);
  d.actual = absl::StrFormat("%s %s in %s's code during %s at event %u",
                             death.hang ? "HANG" : "CRASH", death.detail, config.device,
                             death.during, index);
  return d;
}

absl::Status CallerError(const std::string& message) {
  return absl::InvalidArgumentError(message);
}

bool IsListenerEvent(const Event& event) {
  return std::holds_alternative<RegionAddEvent>(event) ||
         std::holds_alternative<RegionDelEvent>(event) ||
         std::holds_alternative<ListenerCommitEvent>(event);
}

// The device may be reset or DMA at any time, even mid-transaction.
bool IsDeviceEvent(const Event& event) {
  return std::holds_alternative<DeviceResetEvent>(event) ||
         std::holds_alternative<DeviceDmaEvent>(event);
}

// The named device; when it cannot be made, the emulation stands in (so the
// translator has a channel) and *status says why, for Step to report.
std::unique_ptr<Device> MakeDeviceOrEmulation(const DeviceConfig& config,
                                              absl::Status* status) {
  absl::StatusOr<std::unique_ptr<Device>> device = MakeDevice(config);
  if (device.ok()) return std::move(*device);
  *status = device.status();
  return std::make_unique<VdpaDevice>(config);
}

}  // namespace

Harness::Harness(const DeviceConfig& config, const TranslatorFactory& factory,
                 HarnessOptions options)
    : options_(options),
      model_(config),
      device_(MakeDeviceOrEmulation(config, &device_status_)),
      channel_(std::make_unique<RecordingChannel>(device_.get(), options.faults)),
      translator_(factory(config, channel_.get())) {
  oracle_ = std::make_unique<IncrementalOracle>(&model_, device_.get());
  translator_journals_ = translator_->JournalAllocations(oracle_->allocation_journal());
  // What it holds already (nothing, for every translator so far).
  oracle_->AllocationsAre(translator_->Allocations());
}

Harness::~Harness() = default;

absl::Status Harness::Validate(const Event& event) const {
  if (std::holds_alternative<ListenerBeginEvent>(event)) {
    if (in_transaction_) return CallerError("listener_begin inside a transaction");
    return absl::OkStatus();
  }
  if (const auto* e = std::get_if<DeviceDmaEvent>(&event)) {
    if (absl::uint128(e->iova) + e->len > (absl::uint128(1) << 64)) {
      return CallerError(absl::StrFormat("device_dma at 0x%x length 0x%x wraps", e->iova,
                                         e->len));
    }
  }
  if (IsDeviceEvent(event)) return absl::OkStatus();
  if (IsListenerEvent(event)) {
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

// The model takes the event first: it refuses bad input before the
// translator ever sees it.
absl::Status Harness::ApplyToModel(const Event& event) {
  if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
    return model_.AddSection(e->section);
  }
  if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    return model_.RemoveSection(e->section.gpa, e->section.size).status();
  }
  if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    return model_.AddHostBuffer(e->buffer);
  }
  if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    return model_.RemoveHostBuffer(e->hva, e->size).status();
  }
  if (const auto* e = std::get_if<ShadowDataEvent>(&event)) {
    return model_.SetShadow(e->enabled);
  }
  if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
    return model_.IommuMap(e->giova, e->gpa, e->size, e->perm);
  }
  if (const auto* e = std::get_if<IommuUnmapEvent>(&event)) {
    return model_.IommuUnmap(e->giova, e->last);
  }
  if (std::holds_alternative<DeviceResetEvent>(event)) model_.DeviceWasReset();
  return absl::OkStatus();
}

absl::Status Harness::Step(const Event& event) {
  if (!device_status_.ok()) return device_status_;
  if (failed()) return absl::OkStatus();
  if (absl::Status s = Validate(event); !s.ok()) return s;
  if (options_.observer != nullptr) options_.observer->Before(*this, event);
  if (absl::Status s = ApplyToModel(event); !s.ok()) return s;

  ++events_applied_;
  if (options_.keep_log || log_.empty()) {
    log_.push_back(StepRecord{event, {}, 0, {}, {}, {}});
  } else {
    // Only the last record is kept: reuse it, and its vectors' capacity.
    StepRecord& last = log_.back();
    last.event = event;
    last.sent.clear();
    last.rc = 0;
    last.iovas.clear();
    last.dma.clear();
    last.faults.clear();
  }
  StepRecord& record = log_.back();
  channel_->set_record(&record);
  std::optional<Divergence> d = Apply(event, record);
  channel_->set_record(nullptr);
  // A plug-in that died inside this event: whatever the oracle made of its
  // last answers, the death is the finding.
  if (std::optional<TranslatorDeath> death = translator_->death()) {
    d = DeathDivergence(*death, event, events_applied_ - 1);
  }
  // Likewise the device's code (Linux's, in its child process).
  if (std::optional<DeviceDeath> death = device_->death()) {
    d = DeviceDeathDivergence(*death, device_->config(), events_applied_ - 1);
  }
  if (d) {
    divergence_ = std::move(d);
    divergence_index_ = events_applied_ - 1;
  }
  if (options_.observer != nullptr) options_.observer->After(*this, record);
  return absl::OkStatus();
}

OracleWork Harness::oracle_work() const {
  OracleWork w = oracle_->work();
  w.datapath = datapath_checks_;
  w.answers = answers_judged_;
  return w;
}

std::optional<Divergence> Harness::JudgeMapping(const Event& event,
                                                const StepRecord& record,
                                                const char* what) {
  ++answers_judged_;
  bool refused_by_fault = false;
  for (const InjectedFault& f : record.faults) refused_by_fault |= f.excuses_mapping;
  // The device's own limit: an UPDATE refused while its address space holds
  // max_iotlb_entries entries (6.12: ENOSPC, EFAULT at write()). Reporting
  // that is right; the mapping is then rightly absent.
  bool refused_as_full = false;
  const DeviceConfig& dc = device_->config();
  if (dc.LimitsEntries()) {
    for (const SentMessage& m : record.sent) {
      if (m.msg.type != kIotlbUpdate || m.result.err != EFAULT) continue;
      const uint32_t asid =
          m.msg.version == kMsgV2 && dc.Has(kFeatureIotlbAsid) ? m.msg.asid : 0;
      const IntervalTable* t = device_->vhost_table(asid);
      refused_as_full |= t != nullptr && t->size() >= dc.max_iotlb_entries;
    }
  }
  if (record.rc == 0) {
    if (!refused_by_fault) return std::nullopt;
    Divergence d;
    d.rule = OracleRule::kTranslatorError;
    d.expected = absl::StrFormat("%s reports the device's refusal of its UPDATE", what);
    d.actual = "the translator returned success";
    return d;
  }
  // ENOMEM is right when QEMU's first fit, run on the model's history, finds
  // no room, or when no hole of the size is left among what the translator
  // held before the event (checked equal to the device's entries by the leak
  // rule): a translator that reallocates (QEMU re-adds every section after a
  // reset) has a layout of its own, and first fit over it is what counts.
  bool no_room = false;
  if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
    no_room = model_.FirstFitFailedForSection(e->section.gpa) ||
              (model_.single_allocator() &&
               !HoleLeft(GuestMappingOf(e->section, model_.config(), true).mapping.len));
  } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    no_room = model_.FirstFitFailedForHostBuffer(e->buffer.hva) ||
              (model_.single_allocator() &&
               !HoleLeft(HostMappingOf(e->buffer, model_.config()).len));
  }
  if (!refused_by_fault && !refused_as_full && !(no_room && record.rc == ENOMEM)) {
    return TranslatorError(what, record.rc);
  }
  // Rightly failed: the model expects the mapping absent from now on.
  if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
    model_.ExcuseSection(e->section.gpa);
  } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    model_.ExcuseHostBuffer(e->buffer.hva);
  } else if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
    model_.ExcuseIommu(e->giova);
  }
  return std::nullopt;
}

// A translator that allocates again after a reset (QEMU re-adds every
// section and ring) lays its IOVAs out anew; in a tight IOVA range a mapping
// may then find no room that had it before. Missing with no hole of its size
// left among the translator's allocations, it is rightly off the device.
// Only a mapping wider than the widest hole can be excused, so the device's
// entries are gathered only when there is one.
void Harness::ExcuseWhatNoLongerFits() {
  if (!model_.single_allocator()) return;
  const absl::uint128 widest = WidestHoleAmong(translator_->Allocations());
  std::set<std::tuple<uint32_t, uint64_t, uint64_t, uint8_t>> entries;  // asid hva len perm
  bool entries_read = false;
  for (const MappingSource& source : model_.Sources()) {
    const std::optional<ExpectedMapping> m = model_.ExpectedMappingOf(source, /*named=*/false);
    if (!m || m->optional || m->fixed_iova || m->len <= widest) continue;
    if (!entries_read) {
      entries_read = true;
      for (uint32_t asid : device_->asids()) {
        for (const IotlbEntry& e : device_->vhost_table(asid)->Entries()) {
          entries.insert({asid, e.addr, e.last - e.start + 1, e.perm});
        }
      }
    }
    if (entries.count({m->asid, m->hva, m->len, m->perm}) != 0) continue;
    if (m->guest) {
      if (const Section* s = model_.guest().Find(m->gpa)) model_.ExcuseSection(s->gpa);
    } else {
      model_.ExcuseHostBuffer(m->hva);
    }
  }
}

bool Harness::HoleLeft(uint64_t len) const {
  return len <= WidestHoleAmong(oracle_->HeldAllocations());
}

// The widest run of free IOVAs in [iova_floor, iova_last] between `held`:
// a first fit of len succeeds exactly when len is at most this.
absl::uint128 Harness::WidestHoleAmong(std::vector<IovaAllocation> held) const {
  std::sort(held.begin(), held.end(),
            [](const IovaAllocation& a, const IovaAllocation& b) { return a.iova < b.iova; });
  absl::uint128 at = model_.iova_floor();
  const absl::uint128 end = absl::uint128(model_.config().iova_last) + 1;
  absl::uint128 widest = 0;
  for (const IovaAllocation& a : held) {
    if (absl::uint128(a.iova) >= end) break;
    if (absl::uint128(a.iova) > at) widest = std::max(widest, absl::uint128(a.iova) - at);
    at = std::max(at, absl::uint128(a.iova) + a.len);
  }
  if (end > at) widest = std::max(widest, end - at);
  return widest;
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
    if (auto d = JudgeMapping(event, record, "region_add")) return d;
  } else if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
    record.rc = translator_->RegionDel(ToGuestSection(e->section));
    if (record.rc != 0) return TranslatorError("region_del", record.rc);
  } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
    const HostBuffer& b = e->buffer;
    record.rc = translator_->MapHostBuffer(b.hva, b.size, b.perm, b.asid);
    if (auto d = JudgeMapping(event, record, "host_map")) return d;
  } else if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
    record.rc = translator_->UnmapHostBuffer(e->hva, e->size, e->asid);
    if (record.rc != 0) return TranslatorError("host_unmap", record.rc);
  } else if (std::holds_alternative<DeviceResetEvent>(event)) {
    device_->Reset();
    record.rc = translator_->DeviceReset();
    if (record.rc != 0) return TranslatorError("device_reset recovery", record.rc);
    ExcuseWhatNoLongerFits();
  } else if (const auto* e = std::get_if<DeviceDmaEvent>(&event)) {
    record.rc = device_->Dma(e->asid, e->iova, e->len,
                            e->device_writes ? kPermWO : kPermRO, &record.dma);
    ++datapath_checks_;
    if (auto d = CheckDeviceDma(model_, *device_, e->asid, e->iova, e->len, e->device_writes,
                                record.rc, record.dma)) {
      return d;
    }
  } else if (const auto* e = std::get_if<ShadowDataEvent>(&event)) {
    translator_->SetShadowData(e->enabled);
  } else if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
    // The model took the mapping (ApplyToModel): what it resolved the GPA to.
    const std::optional<ReferenceModel::IommuTarget> target = model_.IommuTargetOf(e->giova);
    record.rc = translator_->IommuMap(
        e->giova, e->size, target ? target->hva : *model_.HvaOf(e->gpa),
        target ? target->perm : model_.IommuDevicePerm(e->gpa, e->perm));
    const bool outside = model_.IommuOutsideDevice(e->giova, e->giova + e->size - 1);
    if (!outside) {
      if (auto d = JudgeMapping(event, record, "iommu_map")) return d;
    }
  } else if (const auto* e = std::get_if<IommuUnmapEvent>(&event)) {
    record.rc = translator_->IommuUnmap(e->giova, e->last);
    if (record.rc != 0) return TranslatorError("iommu_unmap", record.rc);
  } else if (const auto* e = std::get_if<TranslateEvent>(&event)) {
    record.rc = translator_->TranslateBuffer(e->iovecs, &record.iovas);
    // A refused buffer's IOVAs are unspecified (translator.h): they are not
    // an output, and a trace must not depend on what a translator left there.
    if (record.rc != 0) record.iovas.clear();
    ++datapath_checks_;
    if (auto d = CheckDatapath(model_, *device_, e->iovecs, record.rc, record.iovas)) {
      return d;
    }
  }
  return JudgeState();
}

// The state rules, over what the event changed (model/incremental_oracle.h).
std::optional<Divergence> Harness::JudgeState() {
  OracleOptions options;
  options.quiescent = !in_transaction_;
  options.strict = options_.strict;
  if (!translator_journals_) oracle_->AllocationsAre(translator_->Allocations());
  auto allocations = [this] { return translator_->Allocations(); };
  std::optional<Divergence> d = oracle_->Check(options, allocations);
  if (!options_.full_oracle) return d;
  std::optional<Divergence> full =
      CheckState(model_, *device_, allocations(), options);
  if (full.has_value() != d.has_value()) ++oracle_disagreements_;
  return full;
}

std::string FormatLog(const std::vector<StepRecord>& log) {
  std::string out;
  for (size_t i = 0; i < log.size(); ++i) {
    const StepRecord& r = log[i];
    absl::StrAppendFormat(&out, "  #%-3u %s\n", i, EventToString(r.event));
    for (size_t m = 0; m < r.sent.size(); ++m) {
      const SentMessage& sent = r.sent[m];
      std::string answer =
          sent.result.ok()
              ? "ok"
              : absl::StrFormat("%s (handler %s)", ErrnoText(sent.result.err),
                                ErrnoText(sent.result.handler_err));
      for (const InjectedFault& f : r.faults) {
        if (f.message_index == m) answer += absl::StrFormat(" [fault: %s]", f.site);
      }
      absl::StrAppendFormat(&out, "         -> %s => %s\n", IotlbMsgToString(sent.msg),
                            answer);
    }
    if (std::holds_alternative<DeviceDmaEvent>(r.event)) {
      if (r.rc != 0) {
        absl::StrAppendFormat(&out, "         <- DMA refused (%s)\n", ErrnoText(r.rc));
      }
      for (const DmaSegment& s : r.dma) {
        absl::StrAppendFormat(&out, "         <- hva [0x%x, +0x%x)\n", s.hva, s.len);
      }
    } else if (std::holds_alternative<TranslateEvent>(r.event)) {
      if (r.rc != 0) {
        absl::StrAppendFormat(&out, "         <- refused (%s)\n", ErrnoText(r.rc));
      } else {
        for (uint64_t iova : r.iovas) {
          absl::StrAppendFormat(&out, "         <- iova 0x%x\n", iova);
        }
      }
    } else if (r.rc != 0) {
      absl::StrAppendFormat(&out, "         <- error %s\n", ErrnoText(r.rc));
    }
  }
  return out;
}

}  // namespace iovacheck
