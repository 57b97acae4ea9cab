// The names of the boundary classes (coverage/boundary_classes.h), shared
// by the classifier and the list every report names them from.
#ifndef IOVACHECK_COVERAGE_BOUNDARY_NAMES_H_
#define IOVACHECK_COVERAGE_BOUNDARY_NAMES_H_

namespace iovacheck {
namespace boundary {

inline constexpr char kElementAtFirstByte[] = "element at a mapping's first byte";
inline constexpr char kElementToLastByte[] = "element ending at a mapping's last byte";
inline constexpr char kElementOnePast[] = "element one byte past a mapping's end";
inline constexpr char kElementOneByte[] = "element of one byte";
inline constexpr char kElementPageLessOne[] = "element of a page less one byte";
inline constexpr char kElementTo2To64[] = "element ending at 2^64";
inline constexpr char kTranslateNoShadow[] = "translation without shadow data";
inline constexpr char kSectionAtFirst[] = "section at the device's first IOVA";
inline constexpr char kSectionToLast[] = "section ending at the device's last IOVA";
inline constexpr char kSectionTo2To64[] = "section ending at 2^64";
inline constexpr char kIommuAtFirst[] = "vIOMMU entry at the device's first IOVA page";
inline constexpr char kIommuToLast[] = "vIOMMU entry ending in the device's last IOVA page";
inline constexpr char kIommuTo2To64[] = "vIOMMU entry ending at 2^64";
inline constexpr char kDmaAtFixedFirst[] = "DMA at a fixed mapping's first byte";
inline constexpr char kDmaPastSection[] = "DMA one byte past a section at IOVA = GPA";
inline constexpr char kDmaAtLast[] = "DMA at the device's last IOVA";
inline constexpr char kDmaAt2To64[] = "DMA at 2^64 - 1";
inline constexpr char kSmallRange[] = "IOVA range of at most 64 pages";
inline constexpr char kHostPageLarger[] = "host page larger than the guest's";
inline constexpr char kGuestPageLarger[] = "guest page larger than the host's";
inline constexpr char kSectionGuestAligned[] =
    "section aligned to the guest page, not the host's";


}  // namespace boundary
}  // namespace iovacheck

#endif  // IOVACHECK_COVERAGE_BOUNDARY_NAMES_H_
