#include "traces/compact_event_codec.h"

#include "absl/strings/str_format.h"
#include "traces/utf8.h"

namespace iovacheck {
namespace {

using Reg = CompactEventContext::Register;

// The first byte of an event: its kind (trace::Event's oneof field number)
// in the low four bits, then what follows the input.
constexpr uint8_t kHasOutputs = 0x10;  // Event.has_outputs
constexpr uint8_t kHasSent = 0x20;     // one or more sent messages
constexpr uint8_t kHasExtra = 0x40;    // rc, iovas, DMA segments or faults
constexpr uint8_t kEscape = 0x80;      // version-1 protobuf bytes follow

// IotlbMessage's head: type (bits 0-2), perm (3-4), v2 (5), answered (6);
// then, rarely, an error (7) and an asid (8).
constexpr uint32_t kUpdate = 2;      // VHOST_IOTLB_UPDATE
constexpr uint32_t kInvalidate = 3;  // VHOST_IOTLB_INVALIDATE

uint64_t ZigZag(uint64_t delta) {
  const int64_t d = static_cast<int64_t>(delta);
  return (static_cast<uint64_t>(d) << 1) ^ static_cast<uint64_t>(d >> 63);
}
uint64_t UnZigZag(uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

bool HasUnknown(const google::protobuf::Message& m) {
  return !m.GetReflection()->GetUnknownFields(m).empty();
}

// Whether the compact form can hold the event exactly.
bool Compactable(const trace::Event& e) {
  if (e.kind_case() == trace::Event::KIND_NOT_SET || HasUnknown(e)) return false;
  // The mdev domain's events are few and small: their protobuf bytes do.
  if (e.has_mdev()) return false;
  const google::protobuf::FieldDescriptor* f =
      e.GetDescriptor()->FindFieldByNumber(static_cast<int>(e.kind_case()));
  if (f == nullptr || HasUnknown(e.GetReflection()->GetMessage(e, f))) return false;
  // The compact form always carries these messages' section or buffer; an
  // event without one (only a hand-written trace has that) keeps its full
  // form, or it would read back with an empty one.
  if (e.has_region_add() && !e.region_add().has_section()) return false;
  if (e.has_region_del() && !e.region_del().has_section()) return false;
  if (e.has_host_map() && !e.host_map().has_buffer()) return false;
  if (e.has_region_add() && HasUnknown(e.region_add().section())) return false;
  if (e.has_region_del() && HasUnknown(e.region_del().section())) return false;
  if (e.has_host_map() && HasUnknown(e.host_map().buffer())) return false;
  if (e.has_translate()) {
    for (const trace::Iovec& v : e.translate().iovecs()) {
      if (HasUnknown(v)) return false;
    }
  }
  for (const trace::IotlbMessage& m : e.sent()) {
    if (HasUnknown(m) || (m.version() != 1 && m.version() != 2) || m.type() > 7 ||
        m.perm() > 3) {
      return false;
    }
    const bool carries_range = m.type() == kUpdate || m.type() == kInvalidate;
    if (!carries_range && (m.iova() != 0 || m.size() != 0)) return false;
    if (m.type() != kUpdate && m.uaddr() != 0) return false;
  }
  for (const trace::DmaSegment& s : e.dma_segments()) {
    if (HasUnknown(s)) return false;
  }
  for (const trace::InjectedFault& f : e.faults()) {
    if (HasUnknown(f)) return false;
  }
  return true;
}

class Writer {
 public:
  Writer(CompactEventContext* ctx, std::string* out) : ctx_(ctx), out_(out) {}
  void Byte(uint8_t b) { out_->push_back(static_cast<char>(b)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Signed(int64_t v) { Varint(ZigZag(static_cast<uint64_t>(v))); }
  // The difference from the register's value, which becomes this one. In
  // pages, most are whole: a varint of the zigzagged page count, shifted
  // left with 0 below; otherwise the same with 1 below, then the low 12
  // bits as a varint.
  void Delta(Reg r, uint64_t v) {
    const uint64_t d = v - ctx_->reg(r);
    const uint64_t pages = ZigZag(static_cast<uint64_t>(static_cast<int64_t>(d) >> 12));
    const uint64_t low = d & 0xfff;
    Varint((pages << 1) | (low != 0 ? 1 : 0));
    if (low != 0) Varint(low);
    ctx_->reg(r) = v;
  }
  void SetHva(uint64_t v) { ctx_->reg(Reg::kHva) = v; }
  // 4i: name i; 4n+1: a new name of n bytes, indexed from now on; 4n+3: a
  // name of n bytes not indexed (the table is full).
  void Name(const std::string& name) {
    const int64_t i = ctx_->NameIndex(name);
    if (i >= 0) {
      Varint(static_cast<uint64_t>(i) << 2);
      return;
    }
    const bool index = !ctx_->NamesFull();
    Varint((uint64_t{name.size()} << 2) | (index ? 1 : 3));
    out_->append(name);
    if (index) ctx_->AddName(name);
  }

 private:
  CompactEventContext* ctx_;
  std::string* out_;
};

class Reader {
 public:
  Reader(CompactEventContext* ctx, absl::string_view in, size_t pos)
      : ctx_(ctx), in_(in), pos_(pos) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  uint8_t Byte() {
    if (pos_ >= in_.size()) return Fail();
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = Byte();
      if (!ok_) return 0;
      v |= uint64_t(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail();
  }
  int64_t Signed() { return static_cast<int64_t>(UnZigZag(Varint())); }
  uint64_t Delta(Reg r) {
    const uint64_t head = Varint();
    const uint64_t pages = UnZigZag(head >> 1);
    uint64_t low = 0;
    if (head & 1) {
      low = Varint();
      if (low == 0 || low > 0xfff) Fail();
    }
    const uint64_t v = ctx_->reg(r) + ((pages << 12) | low);
    if (ok_) ctx_->reg(r) = v;
    return v;
  }
  void SetHva(uint64_t v) { ctx_->reg(Reg::kHva) = v; }
  std::string Name() {
    const uint64_t v = Varint();
    if (!ok_) return "";
    if ((v & 3) == 0) {
      const std::string* name = ctx_->NameAt(v >> 2);
      if (name == nullptr) return Fail(), "";
      return *name;
    }
    if ((v & 1) == 0) return Fail(), "";
    const uint64_t n = v >> 2;
    if (n > in_.size() - pos_) return Fail(), "";
    std::string name(in_.substr(pos_, n));
    pos_ += n;
    // A name that is not UTF-8 could not be carried by a protobuf string.
    if (!IsUtf8(name)) return Fail(), "";
    if ((v & 3) == 1) {
      if (ctx_->NamesFull()) return Fail(), "";
      ctx_->AddName(name);
    }
    return name;
  }
  uint8_t Fail() {
    ok_ = false;
    return 0;
  }
  // n bytes, or nothing when fewer are left.
  absl::string_view Take(uint64_t n) {
    if (!ok_ || n > in_.size() - pos_) return Fail(), absl::string_view();
    absl::string_view out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  CompactEventContext* ctx_;
  absl::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// A guest address's HVA, where the live sections say: the HVA register's
// prediction, so that an HVA that follows from the GPA costs one byte.
void PredictHva(CompactEventContext& ctx, uint64_t gpa) {
  uint64_t hva = 0;
  if (ctx.HvaOf(gpa, &hva)) ctx.reg(Reg::kHva) = hva;
}

bool SameSection(const trace::Section* a, const trace::Section& b) {
  return a != nullptr && a->gpa() == b.gpa() && a->size() == b.size() && a->hva() == b.hva() &&
         a->readonly() == b.readonly() && a->not_ram() == b.not_ram() && a->name() == b.name();
}

bool SameBuffer(const trace::HostBuffer* a, const trace::HostBuffer& b) {
  return a != nullptr && a->hva() == b.hva() && a->size() == b.size() && a->perm() == b.perm() &&
         a->asid() == b.asid() && a->name() == b.name();
}

// The GPA, then a flags byte: 4 when the section is `known` (the live one
// for a region_del, the last removed for a region_add) and nothing more
// follows; else readonly (1) and not_ram (2), and the rest.
constexpr uint8_t kKnown = 4;

// The IOVA register's prediction for the messages of an event that takes
// away the memory at `hva`: where its UPDATE put it.
void PredictIova(CompactEventContext& ctx, uint64_t hva) {
  uint64_t iova = 0;
  if (ctx.IovaOf(hva, &iova)) ctx.reg(Reg::kIova) = iova;
}

void PutSection(Writer& w, const trace::Section& s, const trace::Section* known) {
  w.Delta(Reg::kGpa, s.gpa());
  if (SameSection(known, s)) {
    w.Byte(kKnown);
    w.SetHva(s.hva());
    return;
  }
  w.Byte(static_cast<uint8_t>((s.readonly() ? 1 : 0) | (s.not_ram() ? 2 : 0)));
  w.Delta(Reg::kSize, s.size());
  w.Delta(Reg::kHva, s.hva());
  w.Name(s.name());
}

// `deleting`: the known section is the live one, else the last removed.
void GetSection(Reader& r, const CompactEventContext& ctx, bool deleting, trace::Section* s) {
  const uint64_t gpa = r.Delta(Reg::kGpa);
  const uint8_t flags = r.Byte();
  if (flags == kKnown) {
    const trace::Section* k =
        !r.ok() ? nullptr : deleting ? ctx.LiveSection(gpa) : ctx.RemovedSection(gpa);
    if (k == nullptr) {
      r.Fail();
      return;
    }
    *s = *k;
    r.SetHva(s->hva());
    return;
  }
  if (flags > 3) r.Fail();
  s->set_gpa(gpa);
  s->set_readonly(flags & 1);
  s->set_not_ram(flags & 2);
  s->set_size(r.Delta(Reg::kSize));
  s->set_hva(r.Delta(Reg::kHva));
  s->set_name(r.Name());
}


void PutInput(Writer& w, CompactEventContext& ctx, const trace::Event& e) {
  switch (e.kind_case()) {
    case trace::Event::kRegionAdd:
      PutSection(w, e.region_add().section(),
                 ctx.RemovedSection(e.region_add().section().gpa()));
      break;
    case trace::Event::kRegionDel: {
      const trace::Section& s = e.region_del().section();
      PutSection(w, s, ctx.LiveSection(s.gpa()));
      PredictIova(ctx, s.hva());
      break;
    }
    case trace::Event::kHostMap: {
      const trace::HostBuffer& b = e.host_map().buffer();
      w.Delta(Reg::kHva, b.hva());
      if (SameBuffer(ctx.RemovedBuffer(b.hva()), b)) {
        w.Byte(kKnown);
        break;
      }
      w.Byte(0);
      w.Delta(Reg::kSize, b.size());
      w.Varint(b.perm());
      w.Varint(b.asid());
      w.Name(b.name());
      break;
    }
    case trace::Event::kHostUnmap: {
      const trace::HostUnmap& u = e.host_unmap();
      w.Delta(Reg::kHva, u.hva());
      const trace::HostBuffer* live = ctx.LiveBuffer(u.hva());
      if (live != nullptr && live->size() == u.size() && live->asid() == u.asid()) {
        w.Byte(kKnown);
      } else {
        w.Byte(0);
        w.Delta(Reg::kSize, u.size());
        w.Varint(u.asid());
      }
      PredictIova(ctx, u.hva());
      break;
    }
    case trace::Event::kTranslate:
      w.Varint(static_cast<uint64_t>(e.translate().iovecs_size()));
      for (const trace::Iovec& v : e.translate().iovecs()) {
        w.Byte(static_cast<uint8_t>((v.has_gpa() ? 1 : 0) | (v.device_writes() ? 2 : 0)));
        w.Delta(Reg::kGpa, v.gpa());
        if (v.has_gpa()) PredictHva(ctx, v.gpa());
        w.Delta(Reg::kHva, v.hva());
        w.Delta(Reg::kLen, v.len());
      }
      break;
    case trace::Event::kDeviceDma:
      w.Varint(e.device_dma().asid());
      w.Delta(Reg::kIova, e.device_dma().iova());
      w.Delta(Reg::kLen, e.device_dma().len());
      w.Byte(e.device_dma().device_writes() ? 1 : 0);
      break;
    case trace::Event::kShadowData:
      w.Byte(e.shadow_data().enabled() ? 1 : 0);
      break;
    case trace::Event::kIommuMap:
      w.Delta(Reg::kIova, e.iommu_map().giova());
      w.Delta(Reg::kGpa, e.iommu_map().gpa());
      w.Delta(Reg::kSize, e.iommu_map().size());
      w.Varint(e.iommu_map().perm());
      PredictHva(ctx, e.iommu_map().gpa());
      break;
    case trace::Event::kIommuUnmap:
      w.Delta(Reg::kIova, e.iommu_unmap().giova());
      w.Varint(ZigZag(e.iommu_unmap().last() - e.iommu_unmap().giova()));
      break;
    default:  // listener_begin, listener_commit, device_reset: nothing more
      break;
  }
}

bool GetInput(Reader& r, CompactEventContext& ctx, int kind, trace::Event* e) {
  switch (kind) {
    case trace::Event::kListenerBegin:
      e->mutable_listener_begin();
      break;
    case trace::Event::kListenerCommit:
      e->mutable_listener_commit();
      break;
    case trace::Event::kDeviceReset:
      e->mutable_device_reset();
      break;
    case trace::Event::kRegionAdd:
      GetSection(r, ctx, false, e->mutable_region_add()->mutable_section());
      break;
    case trace::Event::kRegionDel:
      GetSection(r, ctx, true, e->mutable_region_del()->mutable_section());
      if (r.ok()) PredictIova(ctx, e->region_del().section().hva());
      break;
    case trace::Event::kHostMap: {
      trace::HostBuffer* b = e->mutable_host_map()->mutable_buffer();
      const uint64_t hva = r.Delta(Reg::kHva);
      const uint8_t flags = r.Byte();
      if (flags == kKnown) {
        const trace::HostBuffer* k = r.ok() ? ctx.RemovedBuffer(hva) : nullptr;
        if (k == nullptr) return r.Fail(), true;
        *b = *k;
        break;
      }
      if (flags != 0) r.Fail();
      b->set_hva(hva);
      b->set_size(r.Delta(Reg::kSize));
      b->set_perm(static_cast<uint32_t>(r.Varint()));
      b->set_asid(static_cast<uint32_t>(r.Varint()));
      b->set_name(r.Name());
      break;
    }
    case trace::Event::kHostUnmap: {
      trace::HostUnmap* u = e->mutable_host_unmap();
      u->set_hva(r.Delta(Reg::kHva));
      const uint8_t flags = r.Byte();
      if (flags == kKnown) {
        const trace::HostBuffer* live = r.ok() ? ctx.LiveBuffer(u->hva()) : nullptr;
        if (live == nullptr) return r.Fail(), true;
        u->set_size(live->size());
        u->set_asid(live->asid());
      } else {
        if (flags != 0) r.Fail();
        u->set_size(r.Delta(Reg::kSize));
        u->set_asid(static_cast<uint32_t>(r.Varint()));
      }
      if (r.ok()) PredictIova(ctx, u->hva());
      break;
    }
    case trace::Event::kTranslate: {
      trace::Translate* t = e->mutable_translate();
      const uint64_t n = r.Varint();
      for (uint64_t i = 0; i < n && r.ok(); ++i) {
        trace::Iovec* v = t->add_iovecs();
        const uint8_t flags = r.Byte();
        if (flags > 3) r.Fail();
        v->set_has_gpa(flags & 1);
        v->set_device_writes(flags & 2);
        v->set_gpa(r.Delta(Reg::kGpa));
        if (v->has_gpa()) PredictHva(ctx, v->gpa());
        v->set_hva(r.Delta(Reg::kHva));
        v->set_len(r.Delta(Reg::kLen));
      }
      break;
    }
    case trace::Event::kDeviceDma: {
      trace::DeviceDma* d = e->mutable_device_dma();
      d->set_asid(static_cast<uint32_t>(r.Varint()));
      d->set_iova(r.Delta(Reg::kIova));
      d->set_len(r.Delta(Reg::kLen));
      const uint8_t writes = r.Byte();
      if (writes > 1) r.Fail();
      d->set_device_writes(writes != 0);
      break;
    }
    case trace::Event::kShadowData: {
      const uint8_t enabled = r.Byte();
      if (enabled > 1) r.Fail();
      e->mutable_shadow_data()->set_enabled(enabled != 0);
      break;
    }
    case trace::Event::kIommuMap: {
      trace::IommuMap* m = e->mutable_iommu_map();
      m->set_giova(r.Delta(Reg::kIova));
      m->set_gpa(r.Delta(Reg::kGpa));
      m->set_size(r.Delta(Reg::kSize));
      m->set_perm(static_cast<uint32_t>(r.Varint()));
      PredictHva(ctx, m->gpa());
      break;
    }
    case trace::Event::kIommuUnmap: {
      trace::IommuUnmap* u = e->mutable_iommu_unmap();
      u->set_giova(r.Delta(Reg::kIova));
      u->set_last(u->giova() + UnZigZag(r.Varint()));
      break;
    }
    default:
      return false;
  }
  return true;
}

void PutMessage(Writer& w, CompactEventContext* ctx, const trace::IotlbMessage& m) {
  uint64_t head = m.type() | (m.perm() << 3) | (m.version() == 2 ? 1u << 5 : 0) |
                  (m.answered() ? 1u << 6 : 0);
  if (m.error() != 0) head |= 1u << 7;
  if (m.asid() != 0) head |= 1u << 8;
  w.Varint(head);
  if (m.asid() != 0) w.Varint(m.asid());
  // An UPDATE's HVA first: where that memory was mapped before predicts
  // the IOVA (a reset maps everything again where it was).
  if (m.type() == kUpdate) {
    w.Delta(Reg::kHva, m.uaddr());
    PredictIova(*ctx, m.uaddr());
  }
  if (m.type() == kUpdate || m.type() == kInvalidate) {
    w.Delta(Reg::kIova, m.iova());
    w.Delta(Reg::kSize, m.size());
  }
  if (m.error() != 0) w.Signed(m.error());
}

void GetMessage(Reader& r, CompactEventContext* ctx, trace::IotlbMessage* m) {
  const uint64_t head = r.Varint();
  if (head >> 9 != 0) r.Fail();
  m->set_type(static_cast<uint32_t>(head & 7));
  m->set_perm(static_cast<uint32_t>((head >> 3) & 3));
  m->set_version(head & (1u << 5) ? 2 : 1);
  m->set_answered(head & (1u << 6));
  if (head & (1u << 8)) m->set_asid(static_cast<uint32_t>(r.Varint()));
  if (m->type() == kUpdate) {
    m->set_uaddr(r.Delta(Reg::kHva));
    if (r.ok()) PredictIova(*ctx, m->uaddr());
  }
  if (m->type() == kUpdate || m->type() == kInvalidate) {
    m->set_iova(r.Delta(Reg::kIova));
    m->set_size(r.Delta(Reg::kSize));
  }
  if (head & (1u << 7)) m->set_error(static_cast<int32_t>(r.Signed()));
}

bool HasExtra(const trace::Event& e) {
  return e.rc() != 0 || e.iovas_size() > 0 || e.dma_segments_size() > 0 || e.faults_size() > 0;
}

// The IOVA a translation of iovec i answers, where the UPDATE that mapped
// its memory is known.
void PredictTranslation(CompactEventContext& ctx, const trace::Event& e, int i) {
  if (!e.has_translate() || i >= e.translate().iovecs_size()) return;
  const trace::Iovec& v = e.translate().iovecs(i);
  uint64_t iova = 0;
  if (v.has_gpa() ? ctx.IovaOfGuest(v.gpa(), &iova) : ctx.IovaOfHost(v.hva(), &iova)) {
    ctx.reg(Reg::kIova) = iova;
  }
}

void PutExtra(Writer& w, CompactEventContext& ctx, const trace::Event& e) {
  w.Signed(e.rc());
  w.Varint(static_cast<uint64_t>(e.iovas_size()));
  for (int i = 0; i < e.iovas_size(); ++i) {
    PredictTranslation(ctx, e, i);
    w.Delta(Reg::kIova, e.iovas(i));
  }
  w.Varint(static_cast<uint64_t>(e.dma_segments_size()));
  for (const trace::DmaSegment& s : e.dma_segments()) {
    w.Delta(Reg::kHva, s.hva());
    w.Delta(Reg::kLen, s.len());
  }
  w.Varint(static_cast<uint64_t>(e.faults_size()));
  for (const trace::InjectedFault& f : e.faults()) {
    w.Varint(f.message_index());
    w.Name(f.site());
    w.Signed(f.error());
    w.Byte(f.excuses_mapping() ? 1 : 0);
  }
}

void GetExtra(Reader& r, CompactEventContext& ctx, trace::Event* e) {
  e->set_rc(static_cast<int32_t>(r.Signed()));
  // Each item takes a byte at least: a count past the bytes left fails.
  uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    PredictTranslation(ctx, *e, static_cast<int>(i));
    e->add_iovas(r.Delta(Reg::kIova));
  }
  n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    trace::DmaSegment* s = e->add_dma_segments();
    s->set_hva(r.Delta(Reg::kHva));
    s->set_len(r.Delta(Reg::kLen));
  }
  n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    trace::InjectedFault* f = e->add_faults();
    f->set_message_index(static_cast<uint32_t>(r.Varint()));
    f->set_site(r.Name());
    f->set_error(static_cast<int32_t>(r.Signed()));
    const uint8_t excuses = r.Byte();
    if (excuses > 1) r.Fail();
    f->set_excuses_mapping(excuses != 0);
  }
}

}  // namespace

int64_t CompactEventContext::NameIndex(const std::string& name) const {
  auto it = name_index_.find(name);
  return it == name_index_.end() ? -1 : static_cast<int64_t>(it->second);
}

const std::string* CompactEventContext::NameAt(uint64_t index) const {
  return index < names_.size() ? &names_[index] : nullptr;
}

void CompactEventContext::AddName(const std::string& name) {
  if (NamesFull() || name_index_.contains(name)) return;
  name_index_.emplace(name, names_.size());
  names_.push_back(name);
}

namespace {

template <typename Map>
void Remember(Map& map, uint64_t key, uint64_t value, size_t bound) {
  if (map.size() >= bound) map.clear();
  map[key] = value;
}

}  // namespace

bool CompactEventContext::HvaOf(uint64_t gpa, uint64_t* hva) const {
  const trace::Section* s = sections_.Holding(gpa);
  if (s == nullptr) return false;
  *hva = s->hva() + (gpa - s->gpa());
  return true;
}

bool CompactEventContext::IovaOf(uint64_t hva, uint64_t* iova) const {
  auto found = iova_of_hva_.find(hva);
  if (found == iova_of_hva_.end()) return false;
  *iova = found->second;
  return true;
}

bool CompactEventContext::IovaOfGuest(uint64_t gpa, uint64_t* iova) const {
  const trace::Section* s = sections_.Holding(gpa);
  if (s == nullptr || !IovaOf(s->hva(), iova)) return false;
  *iova += gpa - s->gpa();
  return true;
}

bool CompactEventContext::IovaOfHost(uint64_t hva, uint64_t* iova) const {
  const trace::HostBuffer* b = buffers_.Holding(hva);
  if (b == nullptr || !IovaOf(b->hva(), iova)) return false;
  *iova += hva - b->hva();
  return true;
}

const trace::Section* CompactEventContext::LiveSection(uint64_t gpa) const {
  return sections_.Live(gpa);
}
const trace::Section* CompactEventContext::RemovedSection(uint64_t gpa) const {
  return sections_.Removed(gpa);
}
const trace::HostBuffer* CompactEventContext::LiveBuffer(uint64_t hva) const {
  return buffers_.Live(hva);
}
const trace::HostBuffer* CompactEventContext::RemovedBuffer(uint64_t hva) const {
  return buffers_.Removed(hva);
}

void CompactEventContext::AfterEvent(const trace::Event& event) {
  // The memory an event maps: where its first UPDATE of that HVA put it.
  auto note_updates = [&](uint64_t hva) {
    for (const trace::IotlbMessage& m : event.sent()) {
      if (m.type() == kUpdate && m.uaddr() == hva) {
        Remember(iova_of_hva_, hva, m.iova(), kMaxRemembered * 256);
        return;
      }
    }
  };
  if (event.has_region_add()) {
    const trace::Section& s = event.region_add().section();
    sections_.Add(s.gpa(), s);
    note_updates(s.hva());
  } else if (event.has_region_del()) {
    if (const trace::Section* gone = sections_.Remove(event.region_del().section().gpa())) {
      iova_of_hva_.erase(gone->hva());
    }
  } else if (event.has_host_map()) {
    const trace::HostBuffer& b = event.host_map().buffer();
    buffers_.Add(b.hva(), b);
    note_updates(b.hva());
  } else if (event.has_host_unmap()) {
    const uint64_t hva = event.host_unmap().hva();
    if (buffers_.Remove(hva) != nullptr) iova_of_hva_.erase(hva);
  }
}

void CompactEventEncoder::Encode(const trace::Event& event, std::string* out) {
  Writer w(&ctx_, out);
  if (!Compactable(event)) {
    const std::string bytes = event.SerializeAsString();
    w.Byte(kEscape);
    w.Varint(bytes.size());
    out->append(bytes);
  } else {
    uint8_t tag = static_cast<uint8_t>(event.kind_case());
    if (event.has_outputs()) tag |= kHasOutputs;
    if (event.sent_size() > 0) tag |= kHasSent;
    if (HasExtra(event)) tag |= kHasExtra;
    w.Byte(tag);
    PutInput(w, ctx_, event);
    if (event.sent_size() > 0) {
      w.Varint(static_cast<uint64_t>(event.sent_size()));
      for (const trace::IotlbMessage& m : event.sent()) PutMessage(w, &ctx_, m);
    }
    if (tag & kHasExtra) PutExtra(w, ctx_, event);
  }
  ctx_.AfterEvent(event);
}

// Every kind of event: even an empty message is a malloc and a free.
#define IOVACHECK_EVENT_KINDS(X)                                                  \
  X(ListenerBegin, listener_begin)                                                     \
  X(ListenerCommit, listener_commit)                                                   \
  X(DeviceReset, device_reset)                                                         \
  X(RegionAdd, region_add)                                                             \
  X(RegionDel, region_del)                                                             \
  X(HostMap, host_map)                                                                 \
  X(HostUnmap, host_unmap)                                                             \
  X(Translate, translate)                                                              \
  X(DeviceDma, device_dma)                                                             \
  X(ShadowData, shadow_data)                                                           \
  X(IommuMap, iommu_map)                                                               \
  X(IommuUnmap, iommu_unmap)

void EventKindMessages::Park(trace::Event* event) {
  switch (event->kind_case()) {
#define IOVACHECK_PARK(Type, name)          \
  case trace::Event::k##Type:               \
    name##_.reset(event->release_##name()); \
    break;
    IOVACHECK_EVENT_KINDS(IOVACHECK_PARK)
#undef IOVACHECK_PARK
    default:
      break;
  }
}

namespace {

// Empties a kind's message for reuse. Clear() would free a singular
// submessage; a region's section and a host map's buffer are kept (their
// own Clear() keeps the name's buffer).
template <typename Kind>
void Empty(Kind* m) {
  m->Clear();
}
template <typename Kind, typename Sub>
void EmptyKeeping(Kind* m, Sub* (Kind::*release)(), void (Kind::*set_allocated)(Sub*)) {
  Sub* kept = (m->*release)();  // nullptr when it had none
  m->Clear();
  if (kept != nullptr) {
    kept->Clear();
    (m->*set_allocated)(kept);
  }
}
template <>
void Empty(trace::RegionAdd* m) {
  EmptyKeeping(m, &trace::RegionAdd::release_section, &trace::RegionAdd::set_allocated_section);
}
template <>
void Empty(trace::RegionDel* m) {
  EmptyKeeping(m, &trace::RegionDel::release_section, &trace::RegionDel::set_allocated_section);
}
template <>
void Empty(trace::HostMap* m) {
  EmptyKeeping(m, &trace::HostMap::release_buffer, &trace::HostMap::set_allocated_buffer);
}

}  // namespace

void EventKindMessages::Lend(int kind, trace::Event* event) {
  switch (kind) {
#define IOVACHECK_LEND(Type, name)                  \
  case trace::Event::k##Type:                       \
    if (name##_ != nullptr) {                       \
      Empty(name##_.get());                         \
      event->set_allocated_##name(name##_.release()); \
    }                                               \
    break;
    IOVACHECK_EVENT_KINDS(IOVACHECK_LEND)
#undef IOVACHECK_LEND
    default:
      break;
  }
}

#undef IOVACHECK_EVENT_KINDS

absl::Status CompactEventDecoder::Decode(absl::string_view bytes, size_t* pos,
                                         trace::Event* event) {
  kinds_.Park(event);
  event->Clear();
  Reader r(&ctx_, bytes, *pos);
  const uint8_t tag = r.Byte();
  if (!r.ok()) return absl::InvalidArgumentError("no event where one was due");
  if (tag != kEscape) kinds_.Lend(tag & 0x0f, event);
  if (tag == kEscape) {
    absl::string_view escaped = r.Take(r.Varint());
    if (!r.ok() || !event->ParseFromArray(escaped.data(), static_cast<int>(escaped.size()))) {
      return absl::InvalidArgumentError("an escaped event that is not a valid Event message");
    }
    *pos = r.pos();
    ctx_.AfterEvent(*event);
    return absl::OkStatus();
  }
  if ((tag & kEscape) != 0 || !GetInput(r, ctx_, tag & 0x0f, event)) {
    return absl::InvalidArgumentError(absl::StrFormat("unknown event kind %u", tag & 0x0f));
  }
  event->set_has_outputs(tag & kHasOutputs);
  if (tag & kHasSent) {
    const uint64_t n = r.Varint();
    if (n == 0) r.Fail();
    for (uint64_t i = 0; i < n && r.ok(); ++i) GetMessage(r, &ctx_, event->add_sent());
  }
  if (tag & kHasExtra) GetExtra(r, ctx_, event);
  if (!r.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the event's bytes end or go wrong %u bytes in", r.pos() - *pos));
  }
  *pos = r.pos();
  ctx_.AfterEvent(*event);
  return absl::OkStatus();
}

}  // namespace iovacheck
