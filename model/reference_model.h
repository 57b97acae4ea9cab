// The reference model: live guest sections and host buffers, what the device
// must hold for them, and what a guest buffer must translate to. Obviously
// correct rather than fast; the oracle compares a translator and the emulated
// device against it.
#ifndef IOVACHECK_MODEL_REFERENCE_MODEL_H_
#define IOVACHECK_MODEL_REFERENCE_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/device_config.h"
#include "model/expected_mapping.h"
#include "model/first_fit_model.h"
#include "model/guest_memory.h"
#include "model/host_buffers.h"
#include "model/iovec.h"

namespace iovacheck {

// Where the device must land for one element, or why it must be refused.
struct ElementExpectation {
  bool mapped = false;
  uint32_t asid = 0;
  uint64_t hva = 0;   // the HVA the guest means
  uint8_t perm = 0;   // the permission of the mapping that holds it
  std::string why;    // names the section or buffer, or the reason it fails
};

class ReferenceModel {
 public:
  explicit ReferenceModel(const DeviceConfig& config);

  // Caller errors come back as InvalidArgument / NotFound; the model is then
  // unchanged.
  absl::Status AddSection(const Section& section);
  absl::StatusOr<Section> RemoveSection(uint64_t gpa, uint64_t size);
  absl::Status AddHostBuffer(const HostBuffer& buffer);
  absl::StatusOr<HostBuffer> RemoveHostBuffer(uint64_t hva, uint64_t size);

  // Every mapping the device must hold now, guest sections first (GPA
  // order), then host buffers (HVA order), with strict-mode IOVA predictions.
  std::vector<ExpectedMapping> ExpectedMappings() const;

  ElementExpectation Expect(const Iovec& element) const;

  // The lowest IOVA a translator may hand out: max(range.first, page).
  uint64_t iova_floor() const;

  const DeviceConfig& config() const { return config_; }
  const GuestMemory& guest() const { return guest_; }
  const HostBuffers& host() const { return host_; }

 private:
  DeviceConfig config_;
  GuestMemory guest_;
  HostBuffers host_;
  FirstFitModel first_fit_;
  // Strict-mode predictions, keyed by section GPA and by host buffer HVA.
  std::map<uint64_t, uint64_t> guest_iova_;
  std::map<uint64_t, uint64_t> host_iova_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_REFERENCE_MODEL_H_
