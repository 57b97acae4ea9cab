/*
 * iovacheck's stand-in for QEMU's "exec/memory.h" (ours, not QEMU's).
 *
 * Only the types and calls the compiled QEMU code touches, with QEMU's
 * names. The memory API is a flat view of one section at a time: a
 * MemoryRegion here is a fake whose RAM pointer is the section's HVA minus
 * its offset_within_region, so memory_region_get_ram_ptr() +
 * offset_within_region is the section's HVA, as in QEMU.
 *
 * Under a vIOMMU the listener is shown one IOMMUMemoryRegion instead (the
 * guest IOMMU's, over the whole 2^64 guest IOVA space). Its notifier API
 * (register, unregister, replay, notify) follows system/memory.c of QEMU
 * 10.0 and is defined in third_party/qemu/glue_common.c; the region's
 * translations are the vIOMMU model's (iovacheck_qemu_iommu_* in
 * glue_common.h), not any real vIOMMU's page tables.
 */
#ifndef IOVACHECK_QEMU_SHIM_EXEC_MEMORY_H
#define IOVACHECK_QEMU_SHIM_EXEC_MEMORY_H

#include "qemu/osdep.h"
#include "exec/hwaddr.h" /* QEMU's own */
#include "qemu/int128.h" /* QEMU's own */
#include "qemu/queue.h"  /* QEMU's own */

typedef uint64_t ram_addr_t;

typedef enum {
  IOMMU_NONE = 0,
  IOMMU_RO = 1,
  IOMMU_WO = 2,
  IOMMU_RW = 3,
} IOMMUAccessFlags;

#define IOMMU_ACCESS_FLAG(r, w) (((r) ? IOMMU_RO : 0) | ((w) ? IOMMU_WO : 0))

typedef struct AddressSpace {
  const char *name;
} AddressSpace;

/* The system memory address space: the only target a vIOMMU entry may have. */
extern AddressSpace address_space_memory;

/* The fake region: what the memory_region_* queries below report. */
typedef struct MemoryRegion {
  const char *name;
  void *ram_ptr; /* section HVA - offset_within_region */
  bool ram;
  bool iommu;
  bool protected_;
  bool ram_device;
} MemoryRegion;

typedef struct IOMMUMemoryRegion IOMMUMemoryRegion;

/* include/exec/memattrs.h: only the field MEMTXATTRS_UNSPECIFIED sets. */
typedef struct MemTxAttrs {
  unsigned int unspecified : 1;
} MemTxAttrs;
#define MEMTXATTRS_UNSPECIFIED ((MemTxAttrs){.unspecified = true})

typedef struct MemoryRegionSection {
  Int128 size;
  MemoryRegion *mr;
  void *fv;
  hwaddr offset_within_region;
  hwaddr offset_within_address_space;
  bool readonly;
  bool nonvolatile;
  bool unmergeable;
} MemoryRegionSection;

typedef struct MemoryListener MemoryListener;
struct MemoryListener {
  void (*begin)(MemoryListener *listener);
  void (*commit)(MemoryListener *listener);
  void (*region_add)(MemoryListener *listener, MemoryRegionSection *section);
  void (*region_del)(MemoryListener *listener, MemoryRegionSection *section);
  const char *name;
};

static inline bool memory_region_is_ram(MemoryRegion *mr) { return mr->ram; }
static inline bool memory_region_is_iommu(MemoryRegion *mr) {
  return mr->iommu;
}
static inline bool memory_region_is_protected(MemoryRegion *mr) {
  return mr->protected_;
}
static inline bool memory_region_is_ram_device(MemoryRegion *mr) {
  return mr->ram_device;
}
static inline void *memory_region_get_ram_ptr(MemoryRegion *mr) {
  return mr->ram_ptr;
}
/* Reference counting of regions: the glue owns its fake regions. */
static inline void memory_region_ref(MemoryRegion *mr) { (void)mr; }
static inline void memory_region_unref(MemoryRegion *mr) { (void)mr; }

typedef struct IOMMUTLBEntry IOMMUTLBEntry;
struct IOMMUTLBEntry {
  AddressSpace *target_as;
  hwaddr iova;
  hwaddr translated_addr;
  hwaddr addr_mask;
  IOMMUAccessFlags perm;
};

/* include/exec/memory.h (QEMU 10.0), :161-174. */
typedef enum {
  IOMMU_NOTIFIER_NONE = 0,
  IOMMU_NOTIFIER_UNMAP = 0x1,
  IOMMU_NOTIFIER_MAP = 0x2,
  IOMMU_NOTIFIER_DEVIOTLB_UNMAP = 0x04,
} IOMMUNotifierFlag;

#define IOMMU_NOTIFIER_IOTLB_EVENTS (IOMMU_NOTIFIER_MAP | IOMMU_NOTIFIER_UNMAP)

typedef struct IOMMUTLBEvent {
  IOMMUNotifierFlag type;
  IOMMUTLBEntry entry;
} IOMMUTLBEvent;

typedef struct IOMMUNotifier IOMMUNotifier;
typedef void (*IOMMUNotify)(IOMMUNotifier *notifier, IOMMUTLBEntry *data);
struct IOMMUNotifier {
  IOMMUNotify notify;
  IOMMUNotifierFlag notifier_flags;
  hwaddr start;
  hwaddr end;
  int iommu_idx;
  QLIST_ENTRY(IOMMUNotifier) node;
};

/* include/exec/memory.h:259-269, verbatim but for the layout. */
static inline void iommu_notifier_init(IOMMUNotifier *n, IOMMUNotify fn,
                                       IOMMUNotifierFlag flags, hwaddr start,
                                       hwaddr end, int iommu_idx) {
  n->notify = fn;
  n->notifier_flags = flags;
  n->start = start;
  n->end = end;
  n->iommu_idx = iommu_idx;
}

/*
 * include/exec/memory.h:813-818: the region and its notifiers. The rest is
 * ours: the guest IOMMU's current translations (the vIOMMU model's state,
 * kept by iovacheck_qemu_iommu_map/_unmap in glue_common.c), sorted by
 * iova, non-overlapping; translated_addr is the HVA (see
 * memory_get_xlat_addr below).
 */
struct IOMMUMemoryRegion {
  MemoryRegion parent_obj;
  QLIST_HEAD(, IOMMUNotifier) iommu_notify;
  IOMMUNotifierFlag iommu_notify_flags;
  IOMMUTLBEntry *translations;
  size_t num_translations, cap_translations;
};

#define IOMMU_NOTIFIER_FOREACH(n, mr) \
  QLIST_FOREACH((n), &(mr)->iommu_notify, node)

/* QOM's casts (OBJECT_DECLARE_TYPE in QEMU): the one IOMMU region type. */
static inline IOMMUMemoryRegion *IOMMU_MEMORY_REGION(MemoryRegion *mr) {
  assert(mr->iommu);
  return container_of(mr, IOMMUMemoryRegion, parent_obj);
}
static inline MemoryRegion *MEMORY_REGION(IOMMUMemoryRegion *iommu_mr) {
  return &iommu_mr->parent_obj;
}

/* system/memory.c (QEMU 10.0), each followed line by line in glue_common.c. */
int memory_region_register_iommu_notifier(MemoryRegion *mr, IOMMUNotifier *n,
                                          Error **errp);
void memory_region_unregister_iommu_notifier(MemoryRegion *mr,
                                             IOMMUNotifier *n);
void memory_region_iommu_replay(IOMMUMemoryRegion *iommu_mr, IOMMUNotifier *n);
int memory_region_iommu_attrs_to_index(IOMMUMemoryRegion *iommu_mr,
                                       MemTxAttrs attrs);
void memory_region_notify_iommu_one(IOMMUNotifier *notifier,
                                    const IOMMUTLBEvent *event);
void memory_region_notify_iommu(IOMMUMemoryRegion *iommu_mr, int iommu_idx,
                                const IOMMUTLBEvent event);

/*
 * QEMU resolves a vIOMMU entry's translated_addr (a GPA) through the flat
 * view to a host pointer. iovacheck's vIOMMU events already carry the HVA
 * as translated_addr, so the flat view is the identity on HVAs here: vaddr =
 * translated_addr; read_only when the entry does not allow writes. Defined
 * in the glue.
 */
bool memory_get_xlat_addr(IOMMUTLBEntry *iotlb, void **vaddr,
                          ram_addr_t *ram_addr, bool *read_only,
                          bool *mr_has_discard_manager, Error **errp);

#endif /* IOVACHECK_QEMU_SHIM_EXEC_MEMORY_H */
