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
#include <optional>
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

// The vhost-vdpa fd as a translator sees it. A write may fail with EINTR
// having done nothing (a lost message): a translator retries it.
class IotlbChannel {
 public:
  virtual ~IotlbChannel() = default;
  virtual WriteResult Write(const IotlbMsg& msg) = 0;
};

// How a translator running outside this process (a plug-in in its child
// process) stopped answering: it was killed by a signal (a crash, abort()),
// exited (exit() inside the plug-in), or did not return from a call within
// its budget (a hang). Every call after that fails with EIO.
struct TranslatorDeath {
  enum class Kind { kSignal, kExit, kHang };
  Kind kind = Kind::kSignal;
  int code = 0;         // the signal number or exit status
  std::string detail;   // e.g. "SIGSEGV" or "no answer after 10 s of CPU"
  std::vector<std::string> last_log;  // the plug-in's last log lines
};

class Translator {
 public:
  virtual ~Translator() = default;

  // Set once a translator outside this process died or hung; in-process
  // translators never do.
  virtual std::optional<TranslatorDeath> death() const { return std::nullopt; }

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
  // Mappings at a fixed IOVA (IOVA = GPA without shadow data, guest IOVAs
  // under a vIOMMU) are not allocations.
  virtual std::vector<IovaAllocation> Allocations() const = 0;

  // For the incremental oracle: from now on append every allocation made
  // and freed to *journal (not owned) and return true. False when the
  // translator keeps no journal: the oracle then compares Allocations()
  // with what it saw after the previous event.
  virtual bool JournalAllocations(std::vector<AllocationChange>* journal) {
    (void)journal;
    return false;
  }

  // The listener is registered again with (true) or without (false) shadow
  // virtqueues. With shadow data the translator allocates IOVAs; without,
  // guest memory is mapped at IOVA = GPA and only host buffers (an isolated
  // CVQ, asid != 0) are allocated. Called only while no guest section is
  // mapped (QEMU unregisters the listener around the switch).
  virtual void SetShadowData(bool enabled) = 0;

  // The device was reset (VHOST_VDPA_SET_STATUS 0), possibly in the middle of
  // a listener transaction. Without IOTLB_PERSIST the device lost every
  // mapping while the kernel's table kept them, and any open batch ended: the
  // translator must make the device whole again. 0, or the errno it could
  // not recover from.
  virtual int DeviceReset() = 0;

  // vIOMMU (config.viommu): the guest IOMMU notifier. MAP names a guest IOVA
  // range, the HVA its GPA resolves to and the permission as the memory core
  // resolves it (the guest's, read-only for read-only memory); UNMAP a closed guest IOVA range
  // ([0, 2^64-1] is the whole space, as VT-d's replay sends). A replay
  // re-sends MAPs the device may already hold: that must end neither in
  // EEXIST nor in a lost mapping. RAM sections are not mapped in this mode.
  virtual int IommuMap(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) = 0;
  virtual int IommuUnmap(uint64_t giova, uint64_t last) = 0;
};

using TranslatorFactory = std::function<std::unique_ptr<Translator>(
    const DeviceConfig& config, IotlbChannel* channel)>;

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_TRANSLATOR_H_
