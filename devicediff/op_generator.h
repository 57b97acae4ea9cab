// Random device operation sequences for the differential, from a seed: the
// message shapes where vhost-vdpa implementations go wrong. Ranges cluster in
// a small window so they overlap, abut and repeat; some wrap 2^64 or touch
// its top; sizes include 0; perms include none and garbage; v1 and v2;
// ASIDs in and out of range; batches opened, closed, unbalanced, switched;
// resets anywhere; DMA probes over what is mapped and around it.
#ifndef IOVACHECK_DEVICEDIFF_OP_GENERATOR_H_
#define IOVACHECK_DEVICEDIFF_OP_GENERATOR_H_

#include <cstdint>
#include <vector>

#include "devicediff/device_op.h"
#include "model/device_config.h"
#include "sim/prng.h"

namespace iovacheck {

class OpGenerator {
 public:
  OpGenerator(uint64_t seed, const DeviceConfig& config);
  DeviceOp Next();

 private:
  uint64_t Address();
  uint64_t Size();
  uint8_t Perm();
  uint32_t Asid();

  SplitMix64 rng_;
  DeviceConfig config_;
};

// `count` ops from `seed`.
std::vector<DeviceOp> GenerateOps(uint64_t seed, const DeviceConfig& config, size_t count);

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICEDIFF_OP_GENERATOR_H_
