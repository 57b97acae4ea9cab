#include "traces/trace_codec.h"

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

trace::Section SectionToProto(const Section& s) {
  trace::Section p;
  p.set_gpa(s.gpa);
  p.set_size(s.size);
  p.set_hva(s.hva);
  p.set_readonly(s.readonly);
  p.set_not_ram(!s.ram);
  p.set_name(s.name);
  return p;
}

Section SectionFromProto(const trace::Section& p) {
  Section s;
  s.gpa = p.gpa();
  s.size = p.size();
  s.hva = p.hva();
  s.readonly = p.readonly();
  s.ram = !p.not_ram();
  s.name = p.name();
  return s;
}

struct ToProto {
  trace::Event& out;
  void operator()(const ListenerBeginEvent&) { out.mutable_listener_begin(); }
  void operator()(const ListenerCommitEvent&) { out.mutable_listener_commit(); }
  void operator()(const RegionAddEvent& e) {
    *out.mutable_region_add()->mutable_section() = SectionToProto(e.section);
  }
  void operator()(const RegionDelEvent& e) {
    *out.mutable_region_del()->mutable_section() = SectionToProto(e.section);
  }
  void operator()(const HostMapEvent& e) {
    trace::HostBuffer* b = out.mutable_host_map()->mutable_buffer();
    b->set_hva(e.buffer.hva);
    b->set_size(e.buffer.size);
    b->set_perm(e.buffer.perm);
    b->set_asid(e.buffer.asid);
    b->set_name(e.buffer.name);
  }
  void operator()(const HostUnmapEvent& e) {
    trace::HostUnmap* u = out.mutable_host_unmap();
    u->set_hva(e.hva);
    u->set_size(e.size);
    u->set_asid(e.asid);
  }
  void operator()(const TranslateEvent& e) {
    trace::Translate* t = out.mutable_translate();
    for (const Iovec& v : e.iovecs) {
      trace::Iovec* p = t->add_iovecs();
      p->set_gpa(v.gpa);
      p->set_hva(v.hva);
      p->set_len(v.len);
      p->set_has_gpa(v.has_gpa);
      p->set_device_writes(v.device_writes);
    }
  }
  void operator()(const DeviceResetEvent&) { out.mutable_device_reset(); }
  void operator()(const ShadowDataEvent& e) { out.mutable_shadow_data()->set_enabled(e.enabled); }
  void operator()(const IommuMapEvent& e) {
    trace::IommuMap* m = out.mutable_iommu_map();
    m->set_giova(e.giova);
    m->set_gpa(e.gpa);
    m->set_size(e.size);
    m->set_perm(e.perm);
  }
  void operator()(const IommuUnmapEvent& e) {
    out.mutable_iommu_unmap()->set_giova(e.giova);
    out.mutable_iommu_unmap()->set_last(e.last);
  }
  void operator()(const DeviceDmaEvent& e) {
    trace::DeviceDma* d = out.mutable_device_dma();
    d->set_asid(e.asid);
    d->set_iova(e.iova);
    d->set_len(e.len);
    d->set_device_writes(e.device_writes);
  }
};

}  // namespace

trace::DeviceConfig DeviceConfigToProto(const DeviceConfig& c) {
  trace::DeviceConfig p;
  p.set_iova_first(c.iova_first);
  p.set_iova_last(c.iova_last);
  p.set_page_size(c.page_size);
  // Left out when equal, so traces of one page size keep their bytes.
  if (c.target_page_size != c.page_size) p.set_target_page_size(c.target_page_size);
  p.set_iotlb_msg_v2(c.Has(kFeatureIotlbMsgV2));
  p.set_iotlb_batch(c.Has(kFeatureIotlbBatch));
  p.set_iotlb_asid(c.Has(kFeatureIotlbAsid));
  p.set_iotlb_persist(c.Has(kFeatureIotlbPersist));
  p.set_kind(c.kind == DeviceKind::kSetMap ? trace::DeviceConfig::SET_MAP
                                           : trace::DeviceConfig::DMA_MAP);
  p.set_num_address_spaces(c.num_as);
  p.set_viommu(c.viommu);
  // Left out for the emulation, so that traces made before the field
  // existed and traces made now read and write the same bytes.
  if (c.device != "emulated") p.set_device(c.device);
  return p;
}

absl::StatusOr<DeviceConfig> DeviceConfigFromProto(const trace::DeviceConfig& p) {
  DeviceConfig c;
  c.iova_first = p.iova_first();
  c.iova_last = p.iova_last();
  c.page_size = p.page_size();
  if (c.page_size < 512 || (c.page_size & (c.page_size - 1)) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "device page_size %u is not a power of two >= 512", c.page_size));
  }
  c.target_page_size = p.target_page_size() == 0 ? c.page_size : p.target_page_size();
  if (c.target_page_size < 512 || (c.target_page_size & (c.target_page_size - 1)) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "device target_page_size %u is not a power of two >= 512", c.target_page_size));
  }
  if (c.iova_first > c.iova_last) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "device IOVA range [0x%x, 0x%x] is empty", c.iova_first, c.iova_last));
  }
  c.backend_features = (uint64_t{p.iotlb_msg_v2()} << kFeatureIotlbMsgV2) |
                       (uint64_t{p.iotlb_batch()} << kFeatureIotlbBatch) |
                       (uint64_t{p.iotlb_asid()} << kFeatureIotlbAsid) |
                       (uint64_t{p.iotlb_persist()} << kFeatureIotlbPersist);
  c.kind = p.kind() == trace::DeviceConfig::SET_MAP ? DeviceKind::kSetMap
                                                    : DeviceKind::kDmaMap;
  // vhost-vdpa devices have a handful of address spaces; a huge count is a
  // corrupt header, and tables are allocated per address space.
  if (p.num_address_spaces() > kMaxAddressSpaces) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%u address spaces is implausible (at most %u)",
        p.num_address_spaces(), kMaxAddressSpaces));
  }
  c.num_as = p.num_address_spaces() == 0 ? 1 : p.num_address_spaces();
  c.viommu = p.viommu();
  if (!p.device().empty()) {
    if (absl::Status s = CheckDeviceName(p.device()); !s.ok()) return s;
    c.device = p.device();
  }
  return c;
}

trace::Event EventToProto(const Event& event) {
  trace::Event out;
  std::visit(ToProto{out}, event);
  return out;
}

trace::Event StepToProto(const StepRecord& step) {
  trace::Event out = EventToProto(step.event);
  out.set_has_outputs(true);
  for (const SentMessage& m : step.sent) {
    trace::IotlbMessage* p = out.add_sent();
    p->set_version(m.msg.version);
    p->set_asid(m.msg.asid);
    p->set_iova(m.msg.iova);
    p->set_size(m.msg.size);
    p->set_uaddr(m.msg.uaddr);
    p->set_perm(m.msg.perm);
    p->set_type(m.msg.type);
    p->set_error(m.result.err);
    p->set_answered(true);
  }
  out.set_rc(step.rc);
  for (uint64_t iova : step.iovas) out.add_iovas(iova);
  for (const DmaSegment& s : step.dma) {
    trace::DmaSegment* p = out.add_dma_segments();
    p->set_hva(s.hva);
    p->set_len(s.len);
  }
  for (const InjectedFault& f : step.faults) {
    trace::InjectedFault* p = out.add_faults();
    p->set_message_index(f.message_index);
    p->set_site(f.site);
    p->set_error(f.error);
    p->set_excuses_mapping(f.excuses_mapping);
  }
  return out;
}

absl::StatusOr<Event> EventFromProto(const trace::Event& p) {
  switch (p.kind_case()) {
    case trace::Event::kListenerBegin:
      return Event{ListenerBeginEvent{}};
    case trace::Event::kListenerCommit:
      return Event{ListenerCommitEvent{}};
    case trace::Event::kRegionAdd:
      return Event{RegionAddEvent{SectionFromProto(p.region_add().section())}};
    case trace::Event::kRegionDel:
      return Event{RegionDelEvent{SectionFromProto(p.region_del().section())}};
    case trace::Event::kHostMap: {
      const trace::HostBuffer& b = p.host_map().buffer();
      if (b.perm() > 0xff) {
        return absl::InvalidArgumentError(
            absl::StrFormat("host_map perm %u does not fit a byte", b.perm()));
      }
      return Event{HostMapEvent{HostBuffer{b.hva(), b.size(),
                                           static_cast<uint8_t>(b.perm()), b.asid(),
                                           b.name()}}};
    }
    case trace::Event::kHostUnmap:
      return Event{HostUnmapEvent{p.host_unmap().hva(), p.host_unmap().size(),
                                  p.host_unmap().asid()}};
    case trace::Event::kTranslate: {
      TranslateEvent t;
      for (const trace::Iovec& v : p.translate().iovecs()) {
        t.iovecs.push_back(Iovec{v.gpa(), v.hva(), v.len(), v.has_gpa(), v.device_writes()});
      }
      return Event{t};
    }
    case trace::Event::kDeviceReset:
      return Event{DeviceResetEvent{}};
    case trace::Event::kDeviceDma: {
      const trace::DeviceDma& d = p.device_dma();
      return Event{DeviceDmaEvent{d.asid(), d.iova(), d.len(), d.device_writes()}};
    }
    case trace::Event::kShadowData:
      return Event{ShadowDataEvent{p.shadow_data().enabled()}};
    case trace::Event::kIommuMap: {
      const trace::IommuMap& m = p.iommu_map();
      if (m.perm() > 0xff) {
        return absl::InvalidArgumentError(
            absl::StrFormat("iommu_map perm %u does not fit a byte", m.perm()));
      }
      return Event{IommuMapEvent{m.giova(), m.gpa(), m.size(), static_cast<uint8_t>(m.perm())}};
    }
    case trace::Event::kIommuUnmap:
      return Event{IommuUnmapEvent{p.iommu_unmap().giova(), p.iommu_unmap().last()}};
    case trace::Event::kMdev:
      return absl::InvalidArgumentError(
          "an mdev event in a vhost-vdpa trace (a trace of them says domain \"vfio-mdev\" "
          "in its header)");
    case trace::Event::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "event of no known kind (written by a newer iovacheck?)");
}

absl::Status CheckRecordedOutputs(const trace::Event& p) {
  for (int i = 0; i < p.sent_size(); ++i) {
    const trace::IotlbMessage& m = p.sent(i);
    if (m.type() > 0xff || m.perm() > 0xff) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "sent message %d: %s %u does not fit the byte a vhost_iotlb_msg gives it", i,
          m.type() > 0xff ? "type" : "perm", m.type() > 0xff ? m.type() : m.perm()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<StepRecord> RecordedOutputs(const trace::Event& p) {
  if (absl::Status s = CheckRecordedOutputs(p); !s.ok()) return s;
  StepRecord r;
  for (const trace::IotlbMessage& m : p.sent()) {
    IotlbMsg msg;
    msg.version = m.version();
    msg.asid = m.asid();
    msg.iova = m.iova();
    msg.size = m.size();
    msg.uaddr = m.uaddr();
    msg.perm = static_cast<uint8_t>(m.perm());
    msg.type = static_cast<uint8_t>(m.type());
    r.sent.push_back({msg, WriteResult{m.error(), 0}});
  }
  r.rc = p.rc();
  r.iovas.assign(p.iovas().begin(), p.iovas().end());
  for (const trace::DmaSegment& s : p.dma_segments()) r.dma.push_back({s.hva(), s.len()});
  for (const trace::InjectedFault& f : p.faults()) {
    r.faults.push_back({f.message_index(), f.site(), f.error(), f.excuses_mapping()});
  }
  return r;
}

}  // namespace iovacheck
