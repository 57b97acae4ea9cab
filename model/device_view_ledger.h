// The device-view rule (model/check_device_view.h) kept event by event:
// each entry counted up in the kernel's table and down in the parent's, and
// per address space how many entries are out of balance. At a quiescent
// point only the address spaces out of balance are looked at.
#ifndef IOVACHECK_MODEL_DEVICE_VIEW_LEDGER_H_
#define IOVACHECK_MODEL_DEVICE_VIEW_LEDGER_H_

#include <cstdint>
#include <optional>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "model/device.h"
#include "model/divergence.h"
#include "model/interval_table.h"

namespace iovacheck {

class DeviceViewLedger {
 public:
  DeviceViewLedger() { balance_.reserve(kInitialMappings); }  // as MappingsLedger
  void Entry(TableSide side, uint32_t asid, const IotlbEntry& e, bool added);
  std::optional<Divergence> Check(const Device& device) const {
    // The common case, decided inline: nothing out of balance, no batch open.
    if (unbalanced_.empty() && !device.in_batch()) return std::nullopt;
    return CheckUnbalanced(device);
  }

 private:
  std::optional<Divergence> CheckUnbalanced(const Device& device) const;
  using Key = std::tuple<uint32_t, uint64_t, uint64_t, uint64_t, uint8_t>;
  absl::flat_hash_map<Key, int> balance_;  // nonzero only
  // asid -> keys out of balance. A hash map: an entry goes out of balance
  // and back at every set_map, and a std::map node would come and go with it.
  absl::flat_hash_map<uint32_t, size_t> unbalanced_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_DEVICE_VIEW_LEDGER_H_
