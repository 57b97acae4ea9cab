/*
 * iovacheck's stand-in for QEMU's "exec/memory.h" (ours, not QEMU's).
 *
 * Only the types and calls the compiled QEMU code touches, with QEMU's
 * names. The memory API is a flat view of one section at a time: a
 * MemoryRegion here is a fake whose RAM pointer is the section's HVA minus
 * its offset_within_region, so memory_region_get_ram_ptr() +
 * offset_within_region is the section's HVA, as in QEMU.
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

typedef struct IOMMUNotifier IOMMUNotifier;
typedef void (*IOMMUNotify)(IOMMUNotifier *notifier, IOMMUTLBEntry *data);
struct IOMMUNotifier {
  IOMMUNotify notify;
  int notifier_flags;
  hwaddr start;
  hwaddr end;
  int iommu_idx;
  QLIST_ENTRY(IOMMUNotifier) node;
};

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
