#include "traces/neighbourhood.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

// Enough to see the pattern: a coverage failure late in a large trace can
// name thousands of addresses, and the report must stay readable.
constexpr size_t kMaxAddressesPerSpace = 8;

// One range in one address space, and how to print it. Reports only: linear
// scans over these are fine.
struct Span {
  uint64_t start = 0;
  uint64_t last = 0;  // inclusive: a range may end exactly at 2^64
  std::string text;
  std::optional<uint64_t> gpa;  // a guest section's GPA at `start`
};

uint64_t LastOf(uint64_t start, absl::uint128 len) {
  return static_cast<uint64_t>(absl::uint128(start) + len - 1);
}

std::string SectionText(const Section& s) {
  return absl::StrFormat("section %s gpa [0x%x, 0x%x] hva [0x%x, 0x%x] %s%s",
                         s.name.empty() ? "(unnamed)" : s.name, s.gpa,
                         LastOf(s.gpa, s.size), s.hva, LastOf(s.hva, s.size),
                         s.readonly ? "ro" : "rw", s.ram ? "" : " non-ram");
}

std::vector<uint64_t> Distinct(std::vector<uint64_t> addresses) {
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

// The spans containing `addr`; when none does, those ending nearest below it
// and those starting nearest above it (several when ranges overlap, as HVA
// ranges of aliased sections do). Lines go to *out under `indent`.
void AppendAround(const std::vector<Span>& spans, uint64_t addr, const std::string& indent,
                  const std::string& nothing, std::string* out) {
  std::vector<const Span*> in;
  const Span* below = nullptr;
  const Span* above = nullptr;
  for (const Span& s : spans) {
    if (s.start <= addr && addr <= s.last) {
      in.push_back(&s);
    } else if (s.last < addr) {
      if (below == nullptr || s.last > below->last) below = &s;
    } else if (above == nullptr || s.start < above->start) {
      above = &s;
    }
  }
  for (const Span* s : in) {
    absl::StrAppendFormat(out, "%sin     %s", indent, s->text);
    if (s->gpa) absl::StrAppendFormat(out, " (gpa 0x%x here)", *s->gpa + (addr - s->start));
    out->append("\n");
  }
  if (!in.empty()) return;
  // Every span tied for nearest, so an alias next to the address is not hidden.
  for (const Span& s : spans) {
    if (below != nullptr && s.last == below->last) {
      absl::StrAppendFormat(out, "%sbelow  %s\n", indent, s.text);
    }
  }
  for (const Span& s : spans) {
    if (above != nullptr && s.start == above->start) {
      absl::StrAppendFormat(out, "%sabove  %s\n", indent, s.text);
    }
  }
  if (below == nullptr && above == nullptr) absl::StrAppendFormat(out, "%s%s\n", indent, nothing);
}

// Runs `describe` for the first few distinct addresses and counts the rest.
template <typename Describe>
void ForEachAddress(const std::vector<uint64_t>& addresses, Describe describe,
                    std::string* out) {
  const std::vector<uint64_t> distinct = Distinct(addresses);
  for (size_t i = 0; i < distinct.size() && i < kMaxAddressesPerSpace; ++i) {
    describe(distinct[i]);
  }
  if (distinct.size() > kMaxAddressesPerSpace) {
    absl::StrAppendFormat(out, "    ... and %u more addresses in this space\n",
                          distinct.size() - kMaxAddressesPerSpace);
  }
}

void DescribeGpas(const ReferenceModel& model, const std::vector<uint64_t>& gpas,
                  std::string* out) {
  std::vector<Span> spans;
  for (const Section& s : model.guest().Sections()) {
    spans.push_back({s.gpa, LastOf(s.gpa, s.size), SectionText(s), std::nullopt});
  }
  ForEachAddress(
      gpas,
      [&](uint64_t gpa) {
        absl::StrAppendFormat(out, "    GPA 0x%x:\n", gpa);
        AppendAround(spans, gpa, "      ", "no live section", out);
      },
      out);
}

void DescribeHvas(const ReferenceModel& model, const std::vector<uint64_t>& hvas,
                  std::string* out) {
  std::vector<Span> spans;
  for (const Section& s : model.guest().Sections()) {
    spans.push_back({s.hva, LastOf(s.hva, s.size), SectionText(s), s.gpa});
  }
  const uint64_t page = model.config().page_size;
  for (const HostBuffer& b : model.host().Buffers()) {
    // The device sees a host buffer rounded up to the page.
    const absl::uint128 len = (absl::uint128(b.size) + page - 1) / page * page;
    spans.push_back({b.hva, LastOf(b.hva, len),
                     absl::StrFormat("host buffer %s hva [0x%x, 0x%x] %s asid %u",
                                     b.name.empty() ? "(unnamed)" : b.name, b.hva,
                                     LastOf(b.hva, len), PermToString(b.perm), b.asid),
                     std::nullopt});
  }
  ForEachAddress(
      hvas,
      [&](uint64_t hva) {
        absl::StrAppendFormat(out, "    HVA 0x%x:\n", hva);
        AppendAround(spans, hva, "      ", "no live section or host buffer", out);
        std::vector<std::string> aliases;
        for (const Span& s : spans) {
          if (s.gpa && s.start <= hva && hva <= s.last) {
            aliases.push_back(absl::StrFormat("0x%x", *s.gpa + (hva - s.start)));
          }
        }
        if (aliases.size() > 1) {
          absl::StrAppendFormat(out, "      alias: %u live sections share this HVA (gpa %s)\n",
                                aliases.size(), absl::StrJoin(aliases, ", "));
        }
      },
      out);
}

void DescribeIovas(const ReferenceModel& model, const Device& device,
                   const std::vector<uint64_t>& iovas, std::string* out) {
  // What each entry is for: an entry matching no live mapping is stale.
  using Key = std::tuple<uint32_t, uint64_t, uint64_t, uint8_t>;  // asid hva len perm
  std::map<Key, std::vector<std::string>> live;
  for (const ExpectedMapping& m : model.ExpectedMappings()) {
    live[Key{m.asid, m.hva, m.len, m.perm}].push_back(m.name.empty() ? "(unnamed)" : m.name);
  }
  std::map<uint32_t, std::vector<Span>> spans;  // per asid
  for (uint32_t asid : device.asids()) {
    std::vector<Span>& table = spans[asid];
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
      auto it = live.find(Key{asid, e.addr, e.last - e.start + 1, e.perm});
      const std::string what =
          it == live.end() ? "stale: no live mapping asks for it"
                           : "live: " + absl::StrJoin(it->second, ", ");
      table.push_back({e.start, e.last,
                       absl::StrFormat("iova [0x%x, 0x%x] -> hva 0x%x %s (%s)", e.start,
                                       e.last, e.addr, PermToString(e.perm), what),
                       std::nullopt});
    }
  }
  ForEachAddress(
      iovas,
      [&](uint64_t iova) {
        absl::StrAppendFormat(out, "    IOVA 0x%x (the kernel's IOTLB):\n", iova);
        if (spans.empty()) absl::StrAppendFormat(out, "      no address space created\n");
        for (const auto& [asid, table] : spans) {
          AppendAround(table, iova, absl::StrFormat("      asid %u: ", asid), "empty", out);
        }
      },
      out);
}

}  // namespace

std::string DescribeNeighbourhood(const ReferenceModel& model, const Device& device,
                                  const Divergence& divergence) {
  std::string out;
  DescribeGpas(model, divergence.gpas, &out);
  DescribeHvas(model, divergence.hvas, &out);
  DescribeIovas(model, device, divergence.iovas, &out);
  if (out.empty()) out = "    (the divergence names no address)\n";
  return out;
}

}  // namespace iovacheck
