#include "coverage/boundary_classes.h"

#include "absl/numeric/int128.h"
#include "coverage/boundary_names.h"

namespace iovacheck {
namespace {

using namespace boundary;  // NOLINT: the class names

constexpr uint64_t kIommuPage = 0x1000;  // the guest's (VT-d's)
const absl::uint128 k2To64 = absl::uint128(1) << 64;

absl::uint128 End(uint64_t start, uint64_t len) { return absl::uint128(start) + len; }

// The element against the mapping [start, start + size) it begins in.
void ClassifyElement(uint64_t at, uint64_t len, uint64_t start, uint64_t size,
                     std::vector<std::string>* out) {
  if (at == start) out->push_back(kElementAtFirstByte);
  const absl::uint128 end = End(at, len);
  const absl::uint128 mapping_end = End(start, size);
  if (end == mapping_end) out->push_back(kElementToLastByte);
  if (end == mapping_end + 1) out->push_back(kElementOnePast);
}

}  // namespace

void ClassifyBoundaries(const ReferenceModel& model, const Event& event,
                        std::vector<std::string>* out) {
  const DeviceConfig& c = model.config();
  if (const auto* t = std::get_if<TranslateEvent>(&event)) {
    for (const Iovec& v : t->iovecs) {
      if (v.len == 1) out->push_back(kElementOneByte);
      if (v.len == c.page_size - 1) out->push_back(kElementPageLessOne);
      if (End(v.has_gpa ? v.gpa : v.hva, v.len) == k2To64) out->push_back(kElementTo2To64);
      if (v.has_gpa) {
        if (!model.shadow()) out->push_back(kTranslateNoShadow);
        if (const Section* s = model.guest().Find(v.gpa)) {
          ClassifyElement(v.gpa, v.len, s->gpa, s->size, out);
        }
      } else if (const HostBuffer* b = model.host().Find(v.hva)) {
        ClassifyElement(v.hva, v.len, b->hva, b->size, out);
      }
    }
  } else if (const auto* a = std::get_if<RegionAddEvent>(&event)) {
    const Section& s = a->section;
    if (s.gpa == c.iova_first) out->push_back(kSectionAtFirst);
    if (End(s.gpa, s.size) == absl::uint128(c.iova_last) + 1) out->push_back(kSectionToLast);
    if (End(s.gpa, s.size) == k2To64) out->push_back(kSectionTo2To64);
    const uint64_t host = c.page_size;
    const uint64_t guest = c.target_page_size;
    if (s.ram && host > guest && (s.gpa - s.hva) % guest == 0 && (s.gpa - s.hva) % host != 0) {
      out->push_back(kSectionGuestAligned);
    }
  } else if (const auto* m = std::get_if<IommuMapEvent>(&event)) {
    const absl::uint128 end = End(m->giova, m->size);
    const uint64_t first_page = (c.iova_first + kIommuPage - 1) / kIommuPage * kIommuPage;
    if (m->giova == first_page) out->push_back(kIommuAtFirst);
    if (end <= absl::uint128(c.iova_last) + 1 && absl::uint128(c.iova_last) + 1 - end < kIommuPage) {
      out->push_back(kIommuToLast);
    }
    if (end == k2To64) out->push_back(kIommuTo2To64);
  } else if (const auto* d = std::get_if<DeviceDmaEvent>(&event)) {
    if (d->iova == c.iova_last) out->push_back(kDmaAtLast);
    if (d->iova == ~uint64_t{0}) out->push_back(kDmaAt2To64);
    if (c.viommu) {
      if (model.ExpectedMappingOf({MappingSource::Kind::kIommu, d->iova}, /*named=*/false)) {
        out->push_back(kDmaAtFixedFirst);
      }
    } else if (!model.shadow() && d->asid == 0) {
      if (const Section* s = model.guest().Find(d->iova); s != nullptr && s->gpa == d->iova) {
        out->push_back(kDmaAtFixedFirst);
      }
      if (d->iova != 0) {
        const Section* s = model.guest().Find(d->iova - 1);
        if (s != nullptr && End(s->gpa, s->size) == d->iova) out->push_back(kDmaPastSection);
      }
    }
  }
}

void ClassifyDevice(const DeviceConfig& config, std::vector<std::string>* out) {
  if (config.iova_last - config.iova_first < 64 * config.page_size) out->push_back(kSmallRange);
  if (config.page_size > config.target_page_size) out->push_back(kHostPageLarger);
  if (config.page_size < config.target_page_size) out->push_back(kGuestPageLarger);
}

}  // namespace iovacheck
