/*
 * iovacheck's shim for QEMU 7.2's vhost-vdpa code (ours, not QEMU's).
 *
 * The glue includes this before the functions cut verbatim from
 * hw/virtio/vhost-vdpa.c, hw/virtio/vhost-shadow-virtqueue.c and
 * net/vhost-vdpa.c. It supplies only the types and calls those functions
 * touch, with the names and field names of QEMU 7.2's headers
 * (include/hw/virtio/vhost-vdpa.h, include/hw/virtio/vhost.h,
 * hw/virtio/vhost-shadow-virtqueue.h, hw/virtio/trace-events); QEMU's own
 * headers are used where they compile.
 */
#ifndef IOVACHECK_QEMU_SHIM_7_2_H
#define IOVACHECK_QEMU_SHIM_7_2_H

#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/virtio/vhost-iova-tree.h"           /* QEMU's own */
#include "standard-headers/linux/virtio_net.h"   /* QEMU's own */
#include "standard-headers/linux/vhost_types.h"  /* QEMU's own copy of the uAPI */

#include "iovacheck_qemu_version.h"
#include "third_party/qemu/glue_common.h"

/*
 * exec/cpu-all.h: QEMU 7.2 compiles vhost-vdpa.c per target with a
 * compile-time target page; here it is the device configuration's target
 * page size, with the same types (target_long, signed mask).
 */
typedef int64_t target_long;
#define TARGET_PAGE_SIZE ((target_long)qemu_target_page_size())
#define TARGET_PAGE_MASK (-TARGET_PAGE_SIZE)
#define TARGET_PAGE_ALIGN(addr) ROUND_UP((addr), TARGET_PAGE_SIZE)

/* include/hw/virtio/virtio-net.h */
#define MAC_TABLE_ENTRIES 64

/* include/hw/virtio/vhost.h: the one field the listener reads. */
struct vhost_dev {
  void *opaque;
  uint64_t backend_cap;
};

/* include/hw/virtio/vhost-vdpa.h */
typedef struct vhost_vdpa {
  int device_fd;
  int index;
  uint32_t msg_type;
  bool iotlb_batch_begin_sent;
  MemoryListener listener;
  struct vhost_vdpa_iova_range iova_range;
  uint64_t acked_features;
  bool shadow_vqs_enabled;
  VhostIOVATree *iova_tree;
  struct vhost_dev *dev;
} VhostVDPA;

int vhost_vdpa_dma_map(struct vhost_vdpa *v, hwaddr iova, hwaddr size,
                       void *vaddr, bool readonly);
int vhost_vdpa_dma_unmap(struct vhost_vdpa *v, hwaddr iova, hwaddr size);

/* hw/virtio/vhost-shadow-virtqueue.h: the one field translation reads. */
typedef struct VhostShadowVirtqueue {
  VhostIOVATree *iova_tree;
} VhostShadowVirtqueue;

/* Trace points (hw/virtio/trace-events, QEMU 7.2), one log line each. */
#define trace_vhost_vdpa_dma_map(vdpa, fd, msg_type, iova, size, uaddr, perm, type) \
  iovacheck_qemu_trace("vhost_vdpa_dma_map vdpa:%p fd: %d msg_type: %" PRIu32 " iova: 0x%" PRIx64 " size: 0x%" PRIx64 " uaddr: 0x%" PRIx64 " perm: 0x%" PRIx8 " type: %" PRIu8, \
                       (void *)(vdpa), (int)(fd), (uint32_t)(msg_type), (uint64_t)(iova), (uint64_t)(size), (uint64_t)(uaddr), (uint8_t)(perm), (uint8_t)(type))
#define trace_vhost_vdpa_dma_unmap(vdpa, fd, msg_type, iova, size, type) \
  iovacheck_qemu_trace("vhost_vdpa_dma_unmap vdpa:%p fd: %d msg_type: %" PRIu32 " iova: 0x%" PRIx64 " size: 0x%" PRIx64 " type: %" PRIu8, \
                       (void *)(vdpa), (int)(fd), (uint32_t)(msg_type), (uint64_t)(iova), (uint64_t)(size), (uint8_t)(type))
#define trace_vhost_vdpa_listener_begin_batch(v, fd, msg_type, type) \
  iovacheck_qemu_trace("vhost_vdpa_listener_begin_batch vdpa:%p fd: %d msg_type: %" PRIu32 " type: %" PRIu8, \
                       (void *)(v), (int)(fd), (uint32_t)(msg_type), (uint8_t)(type))
#define trace_vhost_vdpa_listener_commit(v, fd, msg_type, type) \
  iovacheck_qemu_trace("vhost_vdpa_listener_commit vdpa:%p fd: %d msg_type: %" PRIu32 " type: %" PRIu8, \
                       (void *)(v), (int)(fd), (uint32_t)(msg_type), (uint8_t)(type))
#define trace_vhost_vdpa_listener_region_add(vdpa, iova, llend, vaddr, readonly) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_add vdpa: %p iova 0x%" PRIx64 " llend 0x%" PRIx64 " vaddr: %p read-only: %d", \
                       (void *)(vdpa), (uint64_t)(iova), (uint64_t)(llend), (void *)(vaddr), (int)(readonly))
#define trace_vhost_vdpa_listener_region_del(vdpa, iova, llend) \
  iovacheck_qemu_trace("vhost_vdpa_listener_region_del vdpa: %p iova 0x%" PRIx64 " llend 0x%" PRIx64, \
                       (void *)(vdpa), (uint64_t)(iova), (uint64_t)(llend))

/* The device: write() on the vhost-vdpa fd goes to iovacheck's device. */
#define write(fd, buf, len) iovacheck_qemu_write(fd, buf, len)

#endif /* IOVACHECK_QEMU_SHIM_7_2_H */
