// The guest IOMMU's notifications, on devices behind a vIOMMU: a page range
// of live RAM mapped at a guest IOVA (often at the device's first or last
// IOVA, or the top of the 64-bit space), a replay of a live entry (VT-d
// replays every entry after a context change), and unmaps of one entry, a
// run of them, one page inside one, or the whole space.
#ifndef IOVACHECK_PROPS_IOMMU_COMMANDS_H_
#define IOVACHECK_PROPS_IOMMU_COMMANDS_H_

#include "props/commands.h"

namespace iovacheck {

class MapIommu : public EventCommand {
 public:
  explicit MapIommu(const GenState& s);
  void checkPreconditions(const GenState& s) const override;
  void apply(GenState& s) const override;
  std::vector<Event> Events() const override;

 private:
  GenIommuEntry entry_;
  bool replay_ = false;  // entry_ is live already
};

class UnmapIommu : public EventCommand {
 public:
  explicit UnmapIommu(const GenState& s);
  void apply(GenState& s) const override;
  std::vector<Event> Events() const override { return {IommuUnmapEvent{giova_, last_}}; }

 private:
  uint64_t giova_ = 0;
  uint64_t last_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_IOMMU_COMMANDS_H_
