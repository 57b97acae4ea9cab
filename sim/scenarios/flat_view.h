// QEMU's flat view in miniature. Memory regions are layered by priority (an
// enabled region hides the lower ones where they overlap) and render to
// non-overlapping sections; adjacent pieces of one RAM block at contiguous
// HVAs merge into one section, as flatview_simplify merges them. That merging
// is what makes the memory map churn: toggling one PAM window or the SMRAM
// window splits or joins the big low-RAM section around it.
#ifndef IOVACHECK_SIM_SCENARIOS_FLAT_VIEW_H_
#define IOVACHECK_SIM_SCENARIOS_FLAT_VIEW_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/guest_memory.h"

namespace iovacheck {
namespace scenarios {

struct MemRegion {
  std::string name;
  uint64_t gpa = 0;
  uint64_t size = 0;  // gpa + size stays below 2^64
  int priority = 0;
  bool enabled = true;
  bool ram = true;  // false: MMIO or a RAM device, which the listener skips
  bool readonly = false;
  // The RAM block behind the region (0: none). Pieces merge only within one
  // block and only where their HVAs are contiguous.
  uint64_t block = 0;
  uint64_t hva = 0;  // the HVA at gpa
};

// The regions of a machine, by id; a later id wins a priority tie.
class MemoryMap {
 public:
  int Add(MemRegion region);
  MemRegion& Get(int id) { return regions_.at(id); }
  const MemRegion& Get(int id) const { return regions_.at(id); }
  void Remove(int id) { regions_.erase(id); }

  // The flat view: sections in GPA order, never overlapping.
  std::vector<Section> Render() const;

 private:
  std::map<int, MemRegion> regions_;
  int next_id_ = 1;
};

// One listener transaction: what leaves the view and what enters it. A
// section kept unchanged (same GPA, size, HVA, flags) is in neither, as
// QEMU's region_nop.
struct ViewChange {
  std::vector<Section> dels;  // GPA order
  std::vector<Section> adds;  // GPA order
};

ViewChange DiffViews(const std::vector<Section>& before, const std::vector<Section>& after);

// Same memory as far as the listener can tell (the name aside).
bool SameMemory(const Section& a, const Section& b);

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_FLAT_VIEW_H_
