#include "devicediff/op_generator.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kWindow = 64 * kPage;  // most ranges fall in [0, kWindow)
constexpr uint64_t kTop = ~uint64_t{0};
// User addresses inside the simulated process (devices/kernel_device.cc).
constexpr uint64_t kUaddrBase = 0x7f0000000000;

}  // namespace

OpGenerator::OpGenerator(uint64_t seed, const DeviceConfig& config)
    : rng_(seed), config_(config) {}

uint64_t OpGenerator::Address() {
  switch (rng_.Below(10)) {
    case 0:
      return 0;
    case 1:  // near the top of the address space
      return kTop - rng_.Below(4) * kPage - rng_.Below(2) * (kPage - 1);
    case 2:  // unaligned
      return rng_.Below(kWindow);
    default:  // page aligned in the window
      return rng_.Below(kWindow / kPage) * kPage;
  }
}

uint64_t OpGenerator::Size() {
  switch (rng_.Below(12)) {
    case 0:
      return 0;
    case 1:
      return 1 + rng_.Below(kPage);  // sub-page
    case 2:
      return kTop - rng_.Below(3);   // wraps from almost anywhere
    case 3:
      return rng_.Below(kWindow) + 1;
    default:
      return (1 + rng_.Below(8)) * kPage;
  }
}

uint8_t OpGenerator::Perm() {
  switch (rng_.Below(10)) {
    case 0:
      return kPermNone;
    case 1:
      return static_cast<uint8_t>(4 + rng_.Below(252));  // not a perm at all
    case 2:
      return kPermRO;
    case 3:
      return kPermWO;
    default:
      return kPermRW;
  }
}

uint32_t OpGenerator::Asid() {
  if (rng_.Percent(5)) return config_.num_as + static_cast<uint32_t>(rng_.Below(3));
  return static_cast<uint32_t>(rng_.Below(config_.num_as));
}

DeviceOp OpGenerator::Next() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 3) return ResetOp{};
  if (roll == 3 && rng_.Percent(50)) return ReopenOp{};
  if (roll < 25) {
    DmaOp d;
    d.asid = Asid();
    d.iova = Address();
    // vring descriptors carry u32 lengths; keep well inside them.
    d.len = rng_.Percent(10) ? 0 : 1 + rng_.Below(rng_.Percent(50) ? kPage : 8 * kPage);
    d.need_perm = rng_.Percent(50) ? kPermRO : kPermWO;
    return d;
  }
  WriteOp w;
  IotlbMsg& m = w.msg;
  m.version = rng_.Percent(5) ? kMsgV1 : kMsgV2;
  if (rng_.Percent(1)) m.version = 3 + static_cast<uint32_t>(rng_.Below(5));
  m.asid = Asid();
  const uint64_t kind = rng_.Below(100);
  if (kind < 50) {
    m.type = kIotlbUpdate;
  } else if (kind < 75) {
    m.type = kIotlbInvalidate;
  } else if (kind < 86) {
    m.type = kIotlbBatchBegin;
  } else if (kind < 97) {
    m.type = kIotlbBatchEnd;
  } else {
    m.type = rng_.Percent(50) ? kIotlbMiss : static_cast<uint8_t>(rng_.Below(256));
  }
  m.iova = Address();
  m.size = Size();
  // Mostly page aligned user addresses in the process; sometimes offset
  // within the page, sometimes where no process memory is.
  m.uaddr = kUaddrBase + rng_.Below(1024) * kPage;
  if (rng_.Percent(10)) m.uaddr += rng_.Below(kPage);
  if (rng_.Percent(2)) m.uaddr = rng_.Percent(50) ? 0 : kTop - rng_.Below(kWindow);
  m.perm = Perm();
  return w;
}

std::vector<DeviceOp> GenerateOps(uint64_t seed, const DeviceConfig& config, size_t count) {
  OpGenerator gen(seed, config);
  std::vector<DeviceOp> ops;
  ops.reserve(count);
  for (size_t i = 0; i < count; ++i) ops.push_back(gen.Next());
  return ops;
}

}  // namespace iovacheck
