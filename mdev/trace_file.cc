#include "mdev/trace_file.h"

#include "absl/strings/str_format.h"
#include "traces/compact_event_codec.h"  // kTraceFormatVersion
#include "traces/trace_io.h"

namespace iovacheck {

trace::Event MdevEventToProto(const MdevEvent& event) {
  trace::Event out;
  trace::MdevEvent* m = out.mutable_mdev();
  if (const auto* e = std::get_if<MapDmaEvent>(&event)) {
    trace::MdevMapDma* p = m->mutable_map_dma();
    p->set_iova(e->iova);
    p->set_size(e->size);
    p->set_vaddr(e->vaddr);
    p->set_prot(e->prot);
  } else if (const auto* e = std::get_if<UnmapDmaEvent>(&event)) {
    m->mutable_unmap_dma()->set_iova(e->iova);
    m->mutable_unmap_dma()->set_size(e->size);
  } else if (const auto* e = std::get_if<DeviceUseEvent>(&event)) {
    m->mutable_device_use()->set_gpa(e->gpa);
    m->mutable_device_use()->set_prot(e->prot);
  } else {
    m->mutable_device_done()->set_gpa(std::get<DeviceDoneEvent>(event).gpa);
  }
  return out;
}

absl::StatusOr<MdevEvent> MdevEventFromProto(const trace::Event& event) {
  if (!event.has_mdev()) return absl::InvalidArgumentError("not an mdev event");
  const trace::MdevEvent& m = event.mdev();
  switch (m.kind_case()) {
    case trace::MdevEvent::kMapDma:
      return MdevEvent{MapDmaEvent{m.map_dma().iova(), m.map_dma().size(), m.map_dma().vaddr(),
                                   m.map_dma().prot()}};
    case trace::MdevEvent::kUnmapDma:
      return MdevEvent{UnmapDmaEvent{m.unmap_dma().iova(), m.unmap_dma().size()}};
    case trace::MdevEvent::kDeviceUse:
      return MdevEvent{DeviceUseEvent{m.device_use().gpa(), m.device_use().prot()}};
    case trace::MdevEvent::kDeviceDone:
      return MdevEvent{DeviceDoneEvent{m.device_done().gpa()}};
    case trace::MdevEvent::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("an mdev event of no known kind");
}

trace::Header MdevHeader(uint64_t seed, const std::string& tracker,
                         const std::optional<MdevDivergence>& divergence,
                         const std::string& source) {
  trace::Header h;
  h.set_format_version(kTraceFormatVersion);
  h.set_domain(kMdevDomain);
  trace::Producer* p = h.mutable_producer();
  p->set_tool("iovacheck mdev");
  p->set_seed(seed);
  p->set_scenario("mdev");
  p->set_translator(tracker);
  p->set_source(source);
  trace::Expectation* e = h.add_expect();
  e->set_translator(tracker);
  e->set_verdict(divergence ? trace::Expectation::FAIL : trace::Expectation::PASS);
  if (divergence) {
    e->set_rule(divergence->rule);
    e->set_event_index(divergence->event_index);
  }
  return h;
}

absl::Status WriteMdevTrace(const std::string& path, const MdevTrace& trace) {
  trace::Trace out;
  *out.mutable_header() = trace.header;
  for (const MdevEvent& e : trace.events) *out.add_events() = MdevEventToProto(e);
  return WriteWholeTrace(path, out);
}

absl::StatusOr<MdevTrace> ReadMdevTrace(const std::string& path) {
  absl::StatusOr<trace::Trace> t = ReadWholeTrace(path);
  if (!t.ok()) return t.status();
  if (t->header().domain() != kMdevDomain) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not an mdev trace (its header's domain is \"%s\", not \"%s\")", path,
                        t->header().domain(), kMdevDomain));
  }
  MdevTrace out;
  out.header = t->header();
  for (int i = 0; i < t->events_size(); ++i) {
    absl::StatusOr<MdevEvent> e = MdevEventFromProto(t->events(i));
    if (!e.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: event %d: %s", path, i, e.status().message()));
    }
    out.events.push_back(*e);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CheckMdevExpectations(const MdevTrace& trace) {
  std::vector<std::string> wrong;
  for (const trace::Expectation& want : trace.header.expect()) {
    absl::StatusOr<std::optional<MdevDivergence>> got =
        RunMdevEvents(want.translator(), trace.events);
    if (!got.ok()) return got.status();
    const bool want_fail = want.verdict() == trace::Expectation::FAIL;
    if (!want_fail && got->has_value()) {
      wrong.push_back(absl::StrFormat("%s: expected PASS, fails: rule %s at event %u",
                                      want.translator(), (*got)->rule, (*got)->event_index));
    } else if (want_fail && !got->has_value()) {
      wrong.push_back(absl::StrFormat("%s: expected FAIL by rule %s, passes", want.translator(),
                                      want.rule()));
    } else if (want_fail && ((*got)->rule != want.rule() ||
                             (*got)->event_index != want.event_index())) {
      wrong.push_back(absl::StrFormat("%s: expected FAIL by rule %s at event %u, fails by %s at %u",
                                      want.translator(), want.rule(), want.event_index(),
                                      (*got)->rule, (*got)->event_index));
    }
  }
  return wrong;
}

}  // namespace iovacheck
