#include "maps/map_builder.h"

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "model/expected_mapping.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

uint64_t LastOf(uint64_t start, uint64_t size) { return start + (size - 1); }

std::string Range(uint64_t start, uint64_t last) {
  return absl::StrFormat("[0x%x, 0x%x]", start, last);
}

bool Overlaps(const Band& b, uint64_t start, uint64_t last) {
  return b.start <= last && start <= b.last;
}

class Builder {
 public:
  Builder(const ReferenceModel& model, const Device& device) : model_(model), device_(device) {}

  AddressMap Build(const std::optional<Divergence>& divergence, const std::string& title) {
    map_.title = title;
    AddSections();
    AddHostBuffers();
    MarkAliases();
    AddEntries();
    if (divergence) MarkDivergence(*divergence);
    return std::move(map_);
  }

 private:
  size_t Add(Band band) {
    map_.bands.push_back(std::move(band));
    return map_.bands.size() - 1;
  }

  // The HVA band for exactly [start, last], made on first use: two sections
  // backed by the same host memory share it (an alias).
  size_t HvaBand(uint64_t start, uint64_t last, BandKind kind, const std::string& name) {
    auto [it, fresh] = hva_bands_.try_emplace({start, last, kind}, 0);
    if (fresh) {
      Band b;
      b.space = Space::kHva;
      b.kind = kind;
      b.start = start;
      b.last = last;
      b.label = name;
      b.title = absl::StrFormat("hva %s (size 0x%x)", Range(start, last), last - start + 1);
      it->second = Add(std::move(b));
    }
    return it->second;
  }

  void AddSections() {
    for (const Section& s : model_.guest().Sections()) {
      const std::string name = s.name.empty() ? "section" : s.name;
      Band g;
      g.space = Space::kGpa;
      g.kind = s.ram ? BandKind::kSection : BandKind::kNonRam;
      g.start = s.gpa;
      g.last = LastOf(s.gpa, s.size);
      g.label = name;
      g.title = absl::StrFormat("%s\ngpa %s -> hva %s\nsize 0x%x %s%s", name,
                                Range(g.start, g.last), Range(s.hva, LastOf(s.hva, s.size)), s.size,
                                s.readonly ? "read-only" : "read-write",
                                s.ram ? "" : ", not RAM (never mapped)");
      const size_t gi = Add(std::move(g));
      // MMIO and the like: QEMU maps none of it, and its HVA means nothing.
      if (!s.ram) continue;
      const size_t hi = HvaBand(s.hva, LastOf(s.hva, s.size), BandKind::kHostMemory, name);
      backs_[hi].push_back(gi);
      map_.links.push_back(
          {{gi, s.gpa, LastOf(s.gpa, s.size)}, {hi, s.hva, LastOf(s.hva, s.size)}, false});
    }
  }

  void AddHostBuffers() {
    for (const HostBuffer& b : model_.host().Buffers()) {
      const uint64_t last = LastOf(b.hva, model_.host().MappedLength(b));
      const size_t hi =
          HvaBand(b.hva, last, BandKind::kHostBuffer, b.name.empty() ? "host buffer" : b.name);
      map_.bands[hi].title = absl::StrFormat("%s (host-only)\nhva %s, %s, asid %u",
                                             b.name.empty() ? "host buffer" : b.name,
                                             Range(b.hva, last), PermToString(b.perm), b.asid);
    }
  }

  // An alias: host memory behind two GPA ranges, whether the two sections
  // name the same HVA range or overlapping ones.
  void MarkAliases() {
    for (auto& [hi, sections] : backs_) {
      Band& h = map_.bands[hi];
      std::vector<size_t> users = sections;
      for (const auto& [other, more] : backs_) {
        if (other != hi && Overlaps(map_.bands[other], h.start, h.last)) {
          users.insert(users.end(), more.begin(), more.end());
        }
      }
      if (users.size() < 2) continue;
      h.alias = true;
      h.label += " (alias)";
      absl::StrAppend(&h.title, "\nalias: backs");
      for (size_t gi : users) {
        absl::StrAppendFormat(&h.title, "\n  gpa %s %s",
                              Range(map_.bands[gi].start, map_.bands[gi].last),
                              map_.bands[gi].label);
      }
    }
  }

  using GroupKey = std::tuple<uint32_t, uint64_t, uint64_t, uint8_t>;  // asid, hva, len, perm

  void AddEntries() {
    // The kernel's entries, grouped as the oracle matches them.
    struct Entry {
      uint32_t asid;
      IotlbEntry e;
      const ExpectedMapping* serves = nullptr;
    };
    std::vector<Entry> entries;
    std::map<GroupKey, std::vector<size_t>> groups;
    for (uint32_t asid : device_.asids()) {
      const IntervalTable* t = device_.vhost_table(asid);
      if (t == nullptr) continue;
      for (const IotlbEntry& e : t->Entries()) {
        groups[{asid, e.addr, e.last - e.start + 1, e.perm}].push_back(entries.size());
        entries.push_back({asid, e});
      }
    }
    expected_ = model_.ExpectedMappings();
    std::vector<const ExpectedMapping*> missing;
    for (const ExpectedMapping& m : expected_) {
      bool matched = false;
      auto g = groups.find({m.asid, m.hva, m.len, m.perm});
      if (g != groups.end()) {
        for (size_t i : g->second) {
          if (entries[i].serves != nullptr) continue;
          if (m.fixed_iova && *m.fixed_iova != entries[i].e.start) continue;
          entries[i].serves = &m;
          matched = true;
          break;
        }
      }
      if (!matched && !m.optional) missing.push_back(&m);
    }
    for (const Entry& entry : entries) AddEntry(entry.asid, entry.e, entry.serves);
    for (const ExpectedMapping* m : missing) AddMissing(*m);
  }

  void AddEntry(uint32_t asid, const IotlbEntry& e, const ExpectedMapping* serves) {
    Band b;
    b.space = Space::kIova;
    b.kind = BandKind::kEntry;
    b.start = e.start;
    b.last = e.last;
    b.asid = asid;
    const uint64_t span = e.last - e.start;
    const uint64_t hva_last =
        absl::uint128(e.addr) + span > ~uint64_t{0} ? ~uint64_t{0} : e.addr + span;
    b.title = absl::StrFormat("asid %u iova %s -> hva %s %s", asid, Range(e.start, e.last),
                              Range(e.addr, hva_last), PermToString(e.perm));
    if (serves != nullptr) {
      b.label = MappingName(*serves);
      absl::StrAppendFormat(&b.title, "\nserves %s", ExpectedMappingToString(*serves));
    } else {
      b.label = "stale";
      b.warn = true;
      absl::StrAppend(&b.title, "\nstale: nothing live asks for this entry");
      map_.notes.push_back(absl::StrFormat("stale entry: asid %u iova %s -> hva 0x%x", asid,
                                           Range(e.start, e.last), e.addr));
    }
    const size_t ei = Add(std::move(b));
    LinkToHva(ei, e.start, e.addr, hva_last, serves == nullptr);
  }

  // Joins [iova, ...] of band `from` to the HVA bands holding [hva, hva_last];
  // HVA that nothing live holds gets a band of its own, marked.
  void LinkToHva(size_t from, uint64_t iova, uint64_t hva, uint64_t hva_last, bool warn) {
    bool held = false;
    const size_t bands = map_.bands.size();
    for (size_t i = 0; i < bands; ++i) {
      const Band& h = map_.bands[i];
      if (h.space != Space::kHva || !Overlaps(h, hva, hva_last)) continue;
      if (h.kind == BandKind::kUnbacked) continue;
      held = true;
      const uint64_t lo = std::max(h.start, hva);
      const uint64_t hi = std::min(h.last, hva_last);
      map_.links.push_back({{from, iova + (lo - hva), iova + (hi - hva)}, {i, lo, hi}, warn});
    }
    if (held) return;
    const size_t u = HvaBand(hva, hva_last, BandKind::kUnbacked, "unbacked");
    map_.bands[u].warn = true;
    map_.bands[u].title += "\nheld by no live section or host buffer";
    map_.links.push_back({{from, iova, iova + (hva_last - hva)}, {u, hva, hva_last}, true});
  }

  void AddMissing(const ExpectedMapping& m) {
    map_.notes.push_back("missing: " + ExpectedMappingToString(m));
    const uint64_t hva_last = LastOf(m.hva, m.len);
    for (Band& b : map_.bands) {
      if (b.space == Space::kHva && Overlaps(b, m.hva, hva_last)) b.warn = true;
      if (m.guest && b.space == Space::kGpa && Overlaps(b, m.gpa, m.gpa)) b.warn = true;
    }
    const std::optional<uint64_t> iova = m.fixed_iova ? m.fixed_iova : m.predicted_iova;
    if (!iova || absl::uint128(*iova) + m.len > (absl::uint128(1) << 64)) return;
    Band b;
    b.space = Space::kIova;
    b.kind = BandKind::kMissing;
    b.start = *iova;
    b.last = LastOf(*iova, m.len);
    b.asid = m.asid;
    b.label = "missing " + MappingName(m);
    b.title = absl::StrFormat("asid %u iova %s: no entry, where %s belongs", m.asid,
                              Range(b.start, b.last), ExpectedMappingToString(m));
    b.warn = true;
    const size_t mi = Add(std::move(b));
    LinkToHva(mi, *iova, m.hva, hva_last, true);
  }

  void MarkDivergence(const Divergence& d) {
    map_.notes.insert(map_.notes.begin(),
                      absl::StrFormat("%s: expected %s; actual %s", OracleRuleName(d.rule),
                                      d.expected, d.actual));
    for (Band& b : map_.bands) {
      const std::vector<uint64_t>& named = b.space == Space::kGpa   ? d.gpas
                                           : b.space == Space::kHva ? d.hvas
                                                                    : d.iovas;
      for (uint64_t a : named) b.warn |= Overlaps(b, a, a);
    }
  }

  const ReferenceModel& model_;
  const Device& device_;
  AddressMap map_;
  std::map<std::tuple<uint64_t, uint64_t, BandKind>, size_t> hva_bands_;
  std::map<size_t, std::vector<size_t>> backs_;  // HVA band -> GPA bands it backs
  std::vector<ExpectedMapping> expected_;        // outlives the entries' pointers
};

}  // namespace

AddressMap BuildAddressMap(const ReferenceModel& model, const Device& device,
                           const std::optional<Divergence>& divergence, const std::string& title) {
  return Builder(model, device).Build(divergence, title);
}

}  // namespace iovacheck
