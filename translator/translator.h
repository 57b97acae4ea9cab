// The boundary every production translator implements: the events QEMU's
// vhost-vdpa memory listener and shadow virtqueues see, with results as plain
// integers and errno codes so that it can become a C ABI for plug-ins.
//
// A translator owns the IOVA decisions. It talks to the device only through
// an IotlbChannel (the vhost-vdpa fd) and must react to the device's errors.
#ifndef IOVACHECK_TRANSLATOR_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_TRANSLATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/device_config.h"
#include "model/iotlb_msg.h"
#include "model/iovec.h"
#include "model/vdpa_device.h"

namespace iovacheck {

// A memory section as region_add/region_del hand it over: the flat view's
// {offset_within_address_space, size, host pointer, readonly}. `ram` is false
// for MMIO, protected and RAM-device regions, which the listener skips. The
// HVA's offset in its page stands for offset_within_region's (RAM blocks are
// page aligned), so a section is unaligned when gpa and hva disagree there.
struct GuestSection {
  uint64_t gpa = 0;
  uint64_t size = 0;
  uint64_t hva = 0;
  bool readonly = false;
  bool ram = true;
};

// Iovec (one element of a guest buffer) and IovaAllocation come from
// model/iovec.h: plain records the oracle shares.

// The vhost-vdpa fd as a translator sees it.
class IotlbChannel {
 public:
  virtual ~IotlbChannel() = default;
  virtual WriteResult Write(const IotlbMsg& msg) = 0;
};

class Translator {
 public:
  virtual ~Translator() = default;

  // memory_listener begin / commit (commit ends an IOTLB batch if one began).
  virtual void ListenerBegin() = 0;
  virtual void ListenerCommit() = 0;

  // The listener applies its skip/alignment rules itself. 0 when the section
  // was mapped, unmapped or rightly skipped; an errno when it wanted to and
  // could not (the translator must then hold no allocation for it).
  virtual int RegionAdd(const GuestSection& section) = 0;
  virtual int RegionDel(const GuestSection& section) = 0;

  // Host-only memory (SVQ vring areas, CVQ buffers) in address space asid.
  // hva is page aligned; the mapping covers size rounded up to the page.
  virtual int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm,
                            uint32_t asid) = 0;
  virtual int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) = 0;

  // Translates every iovec of one guest buffer to an IOVA (one per iovec, in
  // order). 0 on success; a guest error (EFAULT) when any iovec is unmapped or
  // expands over a mapping's end, and then *iovas is unspecified.
  virtual int TranslateBuffer(const std::vector<Iovec>& iovecs,
                              std::vector<uint64_t>* iovas) = 0;

  // Every IOVA range the translator holds allocated, for the leak check.
  virtual std::vector<IovaAllocation> Allocations() const = 0;
};

using TranslatorFactory = std::function<std::unique_ptr<Translator>(
    const DeviceConfig& config, IotlbChannel* channel)>;

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_TRANSLATOR_H_
