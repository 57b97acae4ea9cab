/*
 * iovacheck's shim for QEMU 10.0's vhost-vdpa code (ours, not QEMU's).
 *
 * The glue includes this before the functions cut verbatim from
 * hw/virtio/vhost-vdpa.c, hw/virtio/vhost-shadow-virtqueue.c and
 * net/vhost-vdpa.c. It supplies only the types and calls those functions
 * touch, with the names and field names of QEMU 10.0's headers
 * (include/hw/virtio/vhost-vdpa.h, hw/virtio/vhost-shadow-virtqueue.h,
 * hw/virtio/trace-events); QEMU's own headers are used where they compile
 * (vhost-iova-tree.h, iova-tree.h, int128.h, queue.h, hwaddr.h,
 * standard-headers/linux/virtio_net.h).
 */
#ifndef IOVACHECK_QEMU_SHIM_10_0_H
#define IOVACHECK_QEMU_SHIM_10_0_H

#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/virtio/vhost-iova-tree.h"        /* QEMU's own */
#include "standard-headers/linux/virtio_net.h" /* QEMU's own */
#include "standard-headers/linux/vhost_types.h" /* QEMU's own copy of the uAPI */

#include "third_party/qemu/glue_common.h"

#include "iovacheck_qemu_version.h"

/* include/hw/virtio/virtio-net.h */
#define MAC_TABLE_ENTRIES 64

/* include/hw/virtio/vhost-vdpa.h */
#define VHOST_VDPA_GUEST_PA_ASID 0

typedef struct vhost_vdpa_shared {
  int device_fd;
  MemoryListener listener;
  struct vhost_vdpa_iova_range iova_range;
  VhostIOVATree *iova_tree;
  uint64_t backend_cap;
  bool iotlb_batch_begin_sent;
  bool shadow_data;
  /* The IOMMU regions' notifiers (vhost_vdpa_iommu_region_add/_del). */
  QLIST_HEAD(, vdpa_iommu) iommu_list;
} VhostVDPAShared;

typedef struct vhost_vdpa {
  int index;
  uint32_t address_space_id;
  bool shadow_vqs_enabled;
  VhostVDPAShared *shared;
} VhostVDPA;

typedef struct vdpa_iommu {
  VhostVDPAShared *dev_shared;
  IOMMUMemoryRegion *iommu_mr;
  hwaddr iommu_offset;
  IOMMUNotifier n;
  QLIST_ENTRY(vdpa_iommu) iommu_next;
} VDPAIOMMUState;

int vhost_vdpa_dma_map(VhostVDPAShared *s, uint32_t asid, hwaddr iova,
                       hwaddr size, void *vaddr, bool readonly);
int vhost_vdpa_dma_unmap(VhostVDPAShared *s, uint32_t asid, hwaddr iova,
                         hwaddr size);

/* hw/virtio/vhost-shadow-virtqueue.h: the one field translation reads. */
typedef struct VhostShadowVirtqueue {
  VhostIOVATree *iova_tree;
} VhostShadowVirtqueue;

/* Trace points (hw/virtio/trace-events, QEMU 10.0), one log line each. */
#define trace_vhost_vdpa_skipped_memory_section(is_ram, is_iommu, is_protected, is_ram_device, first, last, page_mask) \
  iovacheck_qemu_trace("vhost_vdpa_skipped_memory_section is_ram=%d, is_iommu=%d, is_protected=%d, is_ram_device=%d iova_min=0x%" PRIx64 " iova_last=0x%" PRIx64 " page_mask=0x%x", \
                       (int)(is_ram), (int)(is_iommu), (int)(is_protected), (int)(is_ram_device), (uint64_t)(first), (uint64_t)(last), (int)(page_mask))
#define trace_vhost_vdpa_dma_map(vdpa, fd, msg_type, asid, iova, size, uaddr, perm, type) \
  iovacheck_qemu_trace("vhost_vdpa_dma_map vdpa_shared:%p fd: %d msg_type: %" PRIu32 " asid: %" PRIu32 " iova: 0x%" PRIx64 " size: 0x%" PRIx64 " uaddr: 0x%" PRIx64 " perm: 0x%" PRIx8 " type: %" PRIu8, \
                       (void *)(vdpa), (int)(fd), (uint32_t)(msg_type), (uint32_t)(asid), (uint64_t)(iova), (uint64_t)(size), (uint64_t)(uaddr), (uint8_t)(perm), (uint8_t)(type))
#define trace_vhost_vdpa_dma_unmap(vdpa, fd, msg_type, asid, iova, size, type) \
  iovacheck_qemu_trace("vhost_vdpa_dma_unmap vdpa_shared:%p fd: %d msg_type: %" PRIu32 " asid: %" PRIu32 " iova: 0x%" PRIx64 " size: 0x%" PRIx64 " type: %" PRIu8, \
                       (void *)(vdpa), (int)(fd), (uint32_t)(msg_type), (uint32_t)(asid), (uint64_t)(iova), (uint64_t)(size), (uint8_t)(type))
#define trace_vhost_vdpa_listener_begin_batch(v, fd, msg_type, type) \
  iovacheck_qemu_trace("vhost_vdpa_listener_begin_batch vdpa_shared:%p fd: %d msg_type: %" PRIu32 " type: %" PRIu8, \
                       (void *)(v), (int)(fd), (uint32_t)(msg_type), (uint8_t)(type))
#define trace_vhost_vdpa_listener_commit(v, fd, msg_type, type) \
  iovacheck_qemu_trace("vhost_vdpa_listener_commit vdpa_shared:%p fd: %d msg_type: %" PRIu32 " type: %" PRIu8, \
                       (void *)(v), (int)(fd), (uint32_t)(msg_type), (uint8_t)(type))
#define trace_vhost_vdpa_listener_region_add_unaligned(v, name, offset_as, offset_page) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_add_unaligned vdpa_shared: %p region %s offset_within_address_space %" PRIu64 " offset_within_region %" PRIu64, \
                       (void *)(v), (name), (uint64_t)(offset_as), (uint64_t)(offset_page))
#define trace_vhost_vdpa_listener_region_add(vdpa, iova, llend, vaddr, readonly) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_add vdpa: %p iova 0x%" PRIx64 " llend 0x%" PRIx64 " vaddr: %p read-only: %d", \
                       (void *)(vdpa), (uint64_t)(iova), (uint64_t)(llend), (void *)(vaddr), (int)(readonly))
#define trace_vhost_vdpa_listener_region_del_unaligned(v, name, offset_as, offset_page) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_del_unaligned vdpa_shared: %p region %s offset_within_address_space %" PRIu64 " offset_within_region %" PRIu64, \
                       (void *)(v), (name), (uint64_t)(offset_as), (uint64_t)(offset_page))
#define trace_vhost_vdpa_listener_region_del(vdpa, iova, llend) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_del vdpa: %p iova 0x%" PRIx64 " llend 0x%" PRIx64, \
                       (void *)(vdpa), (uint64_t)(iova), (uint64_t)(llend))

/* The device: write() on the vhost-vdpa fd goes to iovacheck's device. */
#define write(fd, buf, len) iovacheck_qemu_write(fd, buf, len)

#endif /* IOVACHECK_QEMU_SHIM_10_0_H */
