#include "model/expected_mapping.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/iotlb_msg.h"
#include "model/page_math.h"

namespace iovacheck {

std::string MappingName(const ExpectedMapping& m) {
  if (m.iommu && m.fixed_iova) {
    return absl::StrCat("iommu@0x", absl::Hex(*m.fixed_iova));
  }
  return m.name;
}

std::string ExpectedMappingToString(const ExpectedMapping& m) {
  std::string where =
      m.guest ? absl::StrFormat("gpa [0x%x, 0x%x] ", m.gpa, m.gpa + m.len - 1) : "";
  std::string iova =
      m.fixed_iova ? absl::StrFormat(" iova [0x%x, 0x%x] (fixed)", *m.fixed_iova,
                                     *m.fixed_iova + m.len - 1)
      : m.predicted_iova
          ? absl::StrFormat(" iova [0x%x, 0x%x]", *m.predicted_iova,
                            *m.predicted_iova + m.len - 1)
          : "";
  return absl::StrFormat("%s: %shva [0x%x, 0x%x] %s asid %u%s", MappingName(m), where,
                         m.hva, m.hva + m.len - 1, PermToString(m.perm), m.asid,
                         iova);
}

const char* ListenerSkipName(ListenerSkip skip) {
  switch (skip) {
    case ListenerSkip::kMapped: return "mapped";
    case ListenerSkip::kNotRam: return "not RAM";
    case ListenerSkip::kBelowRange: return "below the IOVA range";
    case ListenerSkip::kAboveRange: return "past the IOVA range";
    case ListenerSkip::kUnaligned: return "unaligned";
    case ListenerSkip::kEmpty: return "empty after page rounding";
    case ListenerSkip::kBehindIommu: return "behind the vIOMMU";
  }
  return "?";
}

ListenerVerdict GuestMappingOf(const Section& s, const DeviceConfig& config, bool shadow,
                               bool named) {
  // All arithmetic in 128 bits: a section may end exactly at 2^64. The
  // listener works in the guest's pages (QEMU 10's
  // vhost_vdpa_listener_region_add: qemu_target_page_size(); 7.2's
  // TARGET_PAGE_MASK).
  const uint64_t page = config.target_page_size;
  const absl::uint128 gpa = s.gpa;
  const absl::uint128 end = gpa + s.size;
  const absl::uint128 rounded_end = PageFloor(end, page);
  const absl::uint128 rounded_start = PageCeil(gpa, page);

  ListenerVerdict v;
  if (config.viommu) {
    v.skip = ListenerSkip::kBehindIommu;
  } else if (!s.ram) {
    v.skip = ListenerSkip::kNotRam;
  } else if (s.gpa < config.iova_first) {
    v.skip = ListenerSkip::kBelowRange;
  } else if (rounded_end > config.iova_last) {
    v.skip = ListenerSkip::kAboveRange;
  } else if (gpa - PageFloor(gpa, page) != s.hva - PageFloor(s.hva, page)) {
    v.skip = ListenerSkip::kUnaligned;
  } else if (rounded_start >= rounded_end) {
    v.skip = ListenerSkip::kEmpty;
  }
  if (v.skip != ListenerSkip::kMapped) return v;

  const uint64_t head = absl::Uint128Low64(rounded_start - gpa);
  v.mapping.guest = true;
  v.mapping.gpa = absl::Uint128Low64(rounded_start);
  v.mapping.hva = s.hva + head;
  v.mapping.len = absl::Uint128Low64(rounded_end - rounded_start);
  v.mapping.perm = s.readonly ? kPermRO : kPermRW;
  v.mapping.asid = 0;
  if (named) v.mapping.name = s.name;
  if (!shadow) v.mapping.fixed_iova = v.mapping.gpa;
  return v;
}

ExpectedMapping HostMappingOf(const HostBuffer& b, const DeviceConfig& config, bool named) {
  ExpectedMapping m;
  m.guest = false;
  m.hva = b.hva;
  m.len = absl::Uint128Low64(PageCeil(b.size, config.page_size));
  m.perm = b.perm;
  m.asid = b.asid;
  if (named) m.name = b.name;
  return m;
}

}  // namespace iovacheck
