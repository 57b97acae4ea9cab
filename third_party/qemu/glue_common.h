/*
 * What the QEMU plug-ins share (ours): the instance currently being called,
 * the device fd routed to iovacheck_host.device_write, logging, page sizes
 * and QEMU's Error type. Every plug-in entry point calls
 * iovacheck_qemu_enter() first: QEMU's code reaches its globals
 * (qemu_real_host_page_size(), error_report(), write()) without a context
 * pointer, and plug-ins are called from one thread at a time.
 */
#ifndef IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H
#define IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "translator/plugin/iovacheck_plugin.h"

#define IOVACHECK_QEMU_EXPORT __attribute__((visibility("default")))

typedef struct IovacheckQemuRuntime {
  iovacheck_host host;
  iovacheck_device_config config;
  int device_fd;         /* the fake vhost-vdpa fd QEMU's code writes to */
  int first_write_errno; /* of the current call; 0 when none failed */
  /* Of the current call: the errno of the first failed write of an
   * IOTLB UPDATE (a map) and of an INVALIDATE (an unmap). These, not a
   * failed BATCH_BEGIN/END, are what QEMU treats as a failed map or unmap:
   * vhost_vdpa_iotlb_batch_begin_once and vhost_vdpa_listener_commit only
   * error_report a failed write and carry on, while a failed UPDATE is
   * region_add's "vhost vdpa map fail!". */
  int first_update_errno;
  int first_invalidate_errno;
  /* Of the current call: region_add's own verdict. QEMU's region_add
   * returns void; every way it fails ends at its `fail:` label with
   * error_report("vhost-vdpa: DMA mapping failed, unable to continue")
   * (vhost-vdpa.c:404 in 10.0, :252 in 7.2), after "Can't allocate a
   * mapping (%d)" with the IOVA tree's code when the tree refused. */
  int reported_map_failure;
  int iova_tree_error; /* IOVA_ERR_*: -1 invalid, -2 overlap, -3 no memory */
  /* Log lines written while nonzero are held back (iovacheck's child
   * process takes no log line before create() has returned) and passed to
   * host.log at the next iovacheck_qemu_enter(). */
  int defer_logs;
  char **deferred_logs;
  size_t num_deferred_logs;
} IovacheckQemuRuntime;

/* The errno region_add failed with, by what it reported: the refused
 * UPDATE's, else the IOVA tree's code as an errno; 0 when it did not fail. */
int iovacheck_qemu_region_add_errno(const IovacheckQemuRuntime *rt);

/* Fills `rt` for a new instance (a fresh fd number). */
void iovacheck_qemu_runtime_init(IovacheckQemuRuntime *rt,
                                 const iovacheck_device_config *config,
                                 const iovacheck_host *host);
/* Makes `rt` current, clears its first_*_errno and passes on the log lines
 * held back while rt->defer_logs was set. */
void iovacheck_qemu_enter(IovacheckQemuRuntime *rt);
/* Makes `rt` current for a query (allocations()) that writes nothing:
 * held-back log lines stay held back, since iovacheck's child process asks
 * for the allocations right after create(), before it may send a log line. */
void iovacheck_qemu_enter_query(IovacheckQemuRuntime *rt);
/* write(2) on the current instance's fd: device_write, errno on failure. */
ssize_t iovacheck_qemu_write(int fd, const void *buf, size_t len);
/* One log line "name args" for a trace point. */
void iovacheck_qemu_trace(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* One log line. */
void iovacheck_qemu_log(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* A MemoryRegionSection for `s` over the fake RAM region `mr`:
 * offset_within_region is the HVA's offset in its target page and the
 * region's RAM pointer the HVA minus that, so QEMU's
 * memory_region_get_ram_ptr(mr) + offset_within_region is the HVA. */
struct MemoryRegion;
struct MemoryRegionSection;
void iovacheck_qemu_make_section(const iovacheck_section *s,
                                 struct MemoryRegion *mr,
                                 struct MemoryRegionSection *section);
/*
 * The parts of QEMU's memory core and device lifecycle the plug-ins play
 * themselves (they are not cut from QEMU): the listener's flat view, i.e.
 * the sections region_add was shown and region_del has not taken back, and
 * the host buffers (SVQ vring areas, CVQ buffers) the device is started
 * with. A device reset shows them to QEMU's cut functions again, as
 * memory_listener_unregister/register and the SVQ/CVQ stop/start do.
 */
typedef struct IovacheckQemuHostBuffer {
  uint64_t hva;
  uint64_t size;
  uint8_t perm;
  uint32_t asid;
} IovacheckQemuHostBuffer;

typedef struct IovacheckQemuLive {
  iovacheck_section *sections; /* the flat view, in no particular order */
  size_t num_sections, cap_sections;
  IovacheckQemuHostBuffer *buffers; /* in the order they were mapped */
  size_t num_buffers, cap_buffers;
} IovacheckQemuLive;

void iovacheck_qemu_live_free(IovacheckQemuLive *live);
/* region_add: the section enters the flat view. */
void iovacheck_qemu_live_add_section(IovacheckQemuLive *live,
                                     const iovacheck_section *s);
/* region_del: the section leaves it (the identical one if recorded, else
 * the one at the same GPA; nothing when there is none). */
void iovacheck_qemu_live_del_section(IovacheckQemuLive *live,
                                     const iovacheck_section *s);
/* A copy of the flat view in address order, as FOR_EACH_FLAT_RANGE walks
 * it (system/memory.c); *count gets its length. g_free() the result. */
iovacheck_section *iovacheck_qemu_live_flat_view(const IovacheckQemuLive *live,
                                                 size_t *count);
void iovacheck_qemu_live_add_buffer(IovacheckQemuLive *live, uint64_t hva,
                                    uint64_t size, uint8_t perm,
                                    uint32_t asid);
void iovacheck_qemu_live_del_buffer(IovacheckQemuLive *live, uint64_t hva,
                                    uint32_t asid);
/* A copy of the host buffers in mapping order; g_free() the result. */
IovacheckQemuHostBuffer *iovacheck_qemu_live_buffers(
    const IovacheckQemuLive *live, size_t *count);

/*
 * The vIOMMU model (ours): the guest IOMMU's memory region, which QEMU's
 * listener is shown under a vIOMMU in place of guest RAM, and its
 * translations. The notifier API QEMU's code calls on it
 * (memory_region_register_iommu_notifier, _unregister_, _iommu_replay,
 * _notify_iommu) is in glue_common.c, after system/memory.c.
 */
struct IOMMUMemoryRegion;
/* An IOMMU region named `name` with no translations and no notifiers. */
void iovacheck_qemu_iommu_init(struct IOMMUMemoryRegion *iommu_mr,
                               const char *name);
void iovacheck_qemu_iommu_free(struct IOMMUMemoryRegion *iommu_mr);
/* The section a listener on the device's DMA address space sees: the whole
 * region, [0, 2^64) at offset_within_address_space 0. */
void iovacheck_qemu_iommu_section(struct IOMMUMemoryRegion *iommu_mr,
                                  struct MemoryRegionSection *section);
/* The guest maps [iova, iova + size) onto `hva` with IOMMU access flags
 * `perm` (IOMMU_RO/WO/RW): the translation replaces any it overlaps, then
 * every notifier gets a MAP. */
void iovacheck_qemu_iommu_map(struct IOMMUMemoryRegion *iommu_mr,
                              uint64_t iova, uint64_t size, uint64_t hva,
                              int perm);
/* The guest unmaps [iova, last]: every translation overlapping it goes,
 * then every notifier gets an UNMAP of [iova, last]. */
void iovacheck_qemu_iommu_unmap(struct IOMMUMemoryRegion *iommu_mr,
                                uint64_t iova, uint64_t last);

/* QEMU's IOVA_ERR_* as an errno value. */
int iovacheck_qemu_iova_errno(int iova_err);

/* A shim function QEMU's code must never reach here: logs and aborts (the
 * plug-in runs in a child process; the crash becomes a verdict). */
void iovacheck_qemu_unreachable(const char *what) __attribute__((noreturn));

#endif /* IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H */
