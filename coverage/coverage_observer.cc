#include "coverage/coverage_observer.h"

#include <cerrno>
#include <cstdlib>
#include <variant>

#include "absl/numeric/int128.h"
#include "coverage/boundary_classes.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

uint64_t Last(uint64_t start, uint64_t size) { return start + (size - 1); }

// Another live RAM section backed by some of the same host memory.
bool SharesHva(const ReferenceModel& model, const Section& s) {
  for (const Section& other : model.guest().Sections()) {
    if (other.ram && other.gpa != s.gpa && HvaOverlaps(other, s)) return true;
  }
  return false;
}

bool IsMappingEvent(const Event& e) {
  return std::holds_alternative<RegionAddEvent>(e) || std::holds_alternative<HostMapEvent>(e) ||
         std::holds_alternative<IommuMapEvent>(e);
}

}  // namespace

void CoverageObserver::Listener(const Harness& harness, const Event& event) {
  const ReferenceModel& model = harness.model();
  if (std::holds_alternative<ListenerBeginEvent>(event) ||
      std::holds_alternative<ListenerCommitEvent>(event)) {
    deleted_.clear();
  } else if (const auto* add = std::get_if<RegionAddEvent>(&event)) {
    const Section& s = add->section;
    if (s.ram && SharesHva(model, s)) Situation("alias created");
    for (const auto& [first, last] : deleted_) {
      if (s.gpa <= last && first <= Last(s.gpa, s.size)) {
        Situation("section replaced inside one transaction");
        break;
      }
    }
  } else if (const auto* del = std::get_if<RegionDelEvent>(&event)) {
    const Section& s = del->section;
    if (s.ram && SharesHva(model, s)) Situation("alias deleted while its target lives");
    if (harness.in_transaction()) deleted_.push_back({s.gpa, Last(s.gpa, s.size)});
  }
}

void CoverageObserver::Before(const Harness& harness, const Event& event) {
  pending_.clear();
  Listener(harness, event);
  const ReferenceModel& model = harness.model();
  pending_boundaries_.clear();
  ClassifyBoundaries(model, event, &pending_boundaries_);
  if (const auto* t = std::get_if<TranslateEvent>(&event)) {
    for (const Iovec& v : t->iovecs) {
      if (!v.has_gpa || v.len == 0) continue;
      const Section* s = model.guest().Find(v.gpa);
      if (s == nullptr) continue;
      const absl::uint128 end = absl::uint128(v.gpa) + v.len;
      const absl::uint128 section_end = absl::uint128(s->gpa) + s->size;
      if (end > section_end) Situation("translate across a section end");
      if (end == section_end) Situation("translate ending at a section's last byte");
    }
  } else if (std::holds_alternative<DeviceResetEvent>(event)) {
    if (harness.device().in_batch()) Situation("reset inside a batch");
    if (harness.in_transaction()) Situation("reset inside a transaction");
  } else if (const auto* h = std::get_if<HostMapEvent>(&event)) {
    if (h->buffer.asid != 0) Situation("host buffer in its own address space");
  } else if (std::holds_alternative<ShadowDataEvent>(event)) {
    Situation("shadow data switched");
  } else if (const auto* m = std::get_if<IommuMapEvent>(&event)) {
    std::optional<ExpectedMapping> live =
        model.ExpectedMappingOf({MappingSource::Kind::kIommu, m->giova}, /*named=*/false);
    if (live && live->gpa == m->gpa && live->len == m->size) Situation("vIOMMU map replayed");
  }
}

void CoverageObserver::After(const Harness& harness, const StepRecord& record) {
  (void)harness;
  ++coverage_->events;
  ++coverage_->event_kinds[EventKind(record.event)];
  for (const std::string& s : pending_) ++coverage_->situations[s];
  pending_.clear();
  for (const std::string& b : pending_boundaries_) ++coverage_->boundaries[b];
  pending_boundaries_.clear();
  std::vector<bool> injected(record.sent.size(), false);
  for (const InjectedFault& f : record.faults) {
    ++coverage_->fault_sites[f.site];
    if (f.message_index < injected.size()) injected[f.message_index] = true;
  }
  for (size_t i = 0; i < record.sent.size(); ++i) {
    const SentMessage& m = record.sent[i];
    if (!injected[i] && m.msg.type == kIotlbUpdate && m.result.err != 0) {
      ++coverage_->situations["update refused by the device"];
      break;
    }
  }
  if (IsMappingEvent(record.event) && std::abs(record.rc) == ENOMEM) {
    ++coverage_->situations["IOVA space exhausted"];
  }
  if (std::holds_alternative<DeviceDmaEvent>(record.event) && record.rc != 0) {
    ++coverage_->situations["device DMA refused"];
  }
}

void CoverageObserver::Finish(const Harness& harness) {
  ++coverage_->runs;
  std::vector<std::string> device;
  ClassifyDevice(harness.model().config(), &device);
  for (const std::string& b : device) ++coverage_->boundaries[b];
  const OracleWork& w = harness.oracle_work();
  const std::pair<const char*, uint64_t> rules[] = {
      {"coverage_stale", w.mapping_groups},
      {"iova_range_overlap", w.entries},
      {"leak", w.iova_ranges},
      {"device_view", w.quiescent_points},
      {"datapath", w.datapath},
      {"translator_error", w.answers},
      {"strict_iova", w.strict_groups},
  };
  for (const auto& [name, n] : rules) {
    if (n != 0) coverage_->rules[name] += n;
  }
}

}  // namespace iovacheck
