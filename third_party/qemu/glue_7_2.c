/*
 * The qemu-7.2 plug-in's glue (ours): builds QEMU 7.2's vhost-vdpa
 * structures and drives QEMU's own functions, cut verbatim from the Debian
 * sources at build time, through the iovacheck_plugin table.
 *
 * QEMU 7.2 is the single-tree design: one IOVA->HVA tree both allocates
 * IOVAs and maps them, and region_del looks a guest section's mapping up by
 * HVA, so an alias sharing HVA with RAM unmaps the RAM (the aliasing bug
 * iovacheck exists to find). It has no ASID support (every message goes to
 * ASID 0) and no vIOMMU support in vhost-vdpa.
 */
#include "iovacheck_qemu_shim.h"
#include "third_party/qemu/iova_tree_access.h"

/* QEMU 7.2's code, cut by name at build time (see BUILD.bazel). */
#include IOVACHECK_CUT_VHOST_VDPA  /* third_party/qemu/cut/qemu-7.2/vhost-vdpa.inc, or a patched build's (qemu_plugin.bzl) */
#include IOVACHECK_CUT_VHOST_SHADOW_VIRTQUEUE  /* third_party/qemu/cut/qemu-7.2/vhost-shadow-virtqueue.inc, or a patched build's (qemu_plugin.bzl) */
#include IOVACHECK_CUT_NET_VHOST_VDPA  /* third_party/qemu/cut/qemu-7.2/net-vhost-vdpa.inc, or a patched build's (qemu_plugin.bzl) */

#undef write

typedef struct Instance {
  IovacheckQemuRuntime rt;
  struct vhost_dev dev;
  struct vhost_vdpa v;
  /* What QEMU's memory core and device start would show again. */
  IovacheckQemuLive live;
} Instance;

static Instance *enter(void *instance) {
  Instance *in = instance;
  iovacheck_qemu_enter(&in->rt);
  return in;
}

static void *create(const iovacheck_device_config *config,
                    const iovacheck_host *host) {
  Instance *in = g_new0(Instance, 1);
  iovacheck_qemu_runtime_init(&in->rt, config, host);
  iovacheck_qemu_enter(&in->rt);
  in->dev.opaque = &in->v;
  in->dev.backend_cap = config->backend_features;
  in->v.dev = &in->dev;
  in->v.device_fd = in->rt.device_fd;
  in->v.index = 0;
  /* As vhost_vdpa_init (7.2 hw/virtio/vhost-vdpa.c:467). */
  in->v.msg_type = VHOST_IOTLB_MSG_V2;
  in->v.listener = vhost_vdpa_memory_listener;
  in->v.iova_range.first = config->iova_first;
  in->v.iova_range.last = config->iova_last;
  /* iovacheck starts with shadow virtqueues on (see set_shadow_data). */
  in->v.shadow_vqs_enabled = true;
  /* As net/vhost-vdpa.c's net_vhost_vdpa_init. */
  in->v.iova_tree = vhost_iova_tree_new(config->iova_first, config->iova_last);
  return in;
}

static void destroy(void *instance) {
  Instance *in = enter(instance);
  vhost_iova_tree_delete(in->v.iova_tree);
  iovacheck_qemu_live_free(&in->live);
  g_free(in);
}

static void listener_begin(void *instance) {
  Instance *in = enter(instance);
  /* vhost_vdpa_memory_listener has no .begin hook. */
  if (in->v.listener.begin) in->v.listener.begin(&in->v.listener);
}

static void listener_commit(void *instance) {
  Instance *in = enter(instance);
  in->v.listener.commit(&in->v.listener);
}

/* QEMU's listener region_add/region_del on one section, without entering. */
static void show_region_add(Instance *in, const iovacheck_section *s) {
  MemoryRegion mr;
  MemoryRegionSection section;
  iovacheck_qemu_make_section(s, &mr, &section);
  in->v.listener.region_add(&in->v.listener, &section);
}

static void show_region_del(Instance *in, const iovacheck_section *s) {
  MemoryRegion mr;
  MemoryRegionSection section;
  iovacheck_qemu_make_section(s, &mr, &section);
  in->v.listener.region_del(&in->v.listener, &section);
}

/*
 * Unlike 10.0, QEMU 7.2 registers the listener on address_space_memory
 * (hw/virtio/vhost-vdpa.c:1118), not on the device's DMA address space, so
 * it is shown guest RAM with or without a vIOMMU: region_add/region_del go
 * to QEMU's listener in every mode (7.2's vhost-vdpa has no vIOMMU support;
 * see iommu_map).
 */
static int region_add(void *instance, const iovacheck_section *s) {
  Instance *in = enter(instance);
  /* The section is in the flat view whatever the listener makes of it. */
  iovacheck_qemu_live_add_section(&in->live, s);
  show_region_add(in, s);
  /* region_add returns void; it fails when it says so, at its `fail:` label
   * ("vhost-vdpa: DMA mapping failed", vhost-vdpa.c:218-253): a refused UPDATE, or an IOVA
   * tree that would not allocate. A failed BATCH_BEGIN is only logged by
   * vhost_vdpa_iotlb_batch_begin_once and the map goes on. */
  return iovacheck_qemu_region_add_errno(&in->rt);
}

static int region_del(void *instance, const iovacheck_section *s) {
  Instance *in = enter(instance);
  iovacheck_qemu_live_del_section(&in->live, s);
  show_region_del(in, s);
  /* QEMU's unmap paths return void: a refused INVALIDATE is only logged
   * ("vhost_vdpa_dma_unmap(...) = %d") and QEMU carries on. Whatever the
   * device kept is judged by the oracle's state checks, not by a code QEMU
   * never returns: an INVALIDATE of an address space never created (its
   * only UPDATE was refused) is EINVAL at the kernel and harmless. */
  return 0;
}

/*
 * Host buffers: QEMU 7.2 maps SVQ vring areas with vhost_vdpa_svq_map_ring
 * (sizes rounded up to the host page by the caller) and the CVQ buffers with
 * vhost_vdpa_cvq_map_buf, both in ASID 0, the only one it knows. From an
 * (hva, size) pair the two cannot be told apart, so every host buffer is
 * taken as a vring area; the CVQ functions are compiled (they build against
 * the shim) but not called. A non-zero ASID is refused: 7.2 cannot address
 * it (its messages carry asid 0).
 */
/* Without entering: device_reset calls these in the middle of its call. */
static int do_map_host_buffer(Instance *in, uint64_t hva, uint64_t size,
                              uint8_t perm) {
  Error *err = NULL;
  DMAMap needle = {
      .translated_addr = hva,
      .size = ROUND_UP(size, (uint64_t)qemu_real_host_page_size()) - 1,
      .perm = perm == VHOST_ACCESS_RW ? IOMMU_RW : IOMMU_RO,
  };
  bool ok = vhost_vdpa_svq_map_ring(&in->v, &needle, &err);
  if (ok) return 0;
  error_report_err(err);
  /* A failed UPDATE, or else the IOVA tree could not allocate the range. */
  return in->rt.first_update_errno ? in->rt.first_update_errno : ENOMEM;
}

static int map_host_buffer(void *instance, uint64_t hva, uint64_t size,
                           uint8_t perm, uint32_t asid) {
  Instance *in = enter(instance);
  int r;
  if (asid != 0) return ENOTSUP;
  r = do_map_host_buffer(in, hva, size, perm);
  if (r == 0) iovacheck_qemu_live_add_buffer(&in->live, hva, size, perm, 0);
  return r;
}

static int unmap_host_buffer(void *instance, uint64_t hva, uint64_t size,
                             uint32_t asid) {
  Instance *in = enter(instance);
  (void)size;
  if (asid != 0) return ENOTSUP;
  iovacheck_qemu_live_del_buffer(&in->live, hva, 0);
  vhost_vdpa_svq_unmap_ring(&in->v, hva);
  /* QEMU's unmap paths return void: a refused INVALIDATE is only logged
   * ("vhost_vdpa_dma_unmap(...) = %d") and QEMU carries on. Whatever the
   * device kept is judged by the oracle's state checks, not by a code QEMU
   * never returns: an INVALIDATE of an address space never created (its
   * only UPDATE was refused) is EINVAL at the kernel and harmless. */
  return 0;
}

static int translate_buffer(void *instance, const iovacheck_iovec *iovecs,
                            size_t count, uint64_t *iovas) {
  Instance *in = enter(instance);
  VhostShadowVirtqueue svq = {.iova_tree = in->v.iova_tree};
  struct iovec *iov;
  hwaddr *addrs;
  size_t i;
  bool ok;
  if (!in->v.shadow_vqs_enabled) {
    /* Without shadow virtqueues QEMU never translates a buffer: the device
     * reads guest memory at IOVA = GPA. Guest elements are answered with
     * their GPA (unchecked: QEMU has no check to run); a host-only element
     * has no mapping 7.2 could have made. */
    for (i = 0; i < count; i++) {
      if (!iovecs[i].has_gpa) return EFAULT;
      iovas[i] = iovecs[i].gpa;
    }
    return 0;
  }
  /* 7.2 translates by HVA only (vhost_svq_translate_addr has no GPAs). */
  iov = g_new0(struct iovec, count);
  addrs = g_new0(hwaddr, count);
  for (i = 0; i < count; i++) {
    iov[i].iov_base = (void *)(uintptr_t)iovecs[i].hva;
    iov[i].iov_len = iovecs[i].len;
  }
  ok = vhost_svq_translate_addr(&svq, addrs, iov, count);
  for (i = 0; ok && i < count; i++) iovas[i] = addrs[i];
  g_free(iov);
  g_free(addrs);
  return ok ? 0 : EFAULT;
}

static size_t allocations(void *instance, iovacheck_allocation *out,
                          size_t capacity) {
  Instance *in = enter(instance);
  /* 7.2's single tree is both the allocator and the IOVA->HVA map. */
  return iovacheck_vhost_iova_tree_allocations(in->v.iova_tree, out, capacity);
}

static void set_shadow_data(void *instance, int enabled) {
  Instance *in = enter(instance);
  /* 7.2 has no shadow_data: the listener tests v->shadow_vqs_enabled. */
  in->v.shadow_vqs_enabled = enabled != 0;
}

/*
 * The device was reset (VHOST_VDPA_SET_STATUS 0, sent by
 * vhost_vdpa_reset_device, hw/virtio/vhost-vdpa.c:722-733). In QEMU 7.2 the
 * reset is part of a device stop and the start that follows, both in
 * vhost_vdpa_dev_start (:1095-1127, called from vhost_dev_stop,
 * hw/virtio/vhost.c:1910, and vhost_dev_start, :1861); the glue plays that
 * lifecycle around QEMU's cut functions, in 7.2's order:
 *
 *  1. dev_start(false): vhost_vdpa_svqs_stop (:1081-1093) unmaps each SVQ's
 *     rings (vhost_vdpa_svq_unmap_rings -> vhost_vdpa_svq_unmap_ring); then
 *     vhost_vdpa_reset_device, and memory_listener_unregister(&v->listener)
 *     (:1124), which in QEMU's memory core (softmmu/memory.c:2994,
 *     listener_del_address_space) calls the listener's begin (none),
 *     region_del for every section of the flat view in address order, and
 *     commit.
 *  2. dev_start(true): vhost_vdpa_svqs_start (:1026-1079) maps the rings
 *     again with vhost_vdpa_svq_map_ring, then memory_listener_register(
 *     &v->listener, &address_space_memory) (:1118), which in
 *     listener_add_address_space calls begin, region_add for every section
 *     of the flat view, and commit.
 *
 * Every host buffer is a vring area here (see map_host_buffer).
 *
 * The harness may reset the device inside a listener transaction. QEMU
 * cannot: a memory transaction and a device stop/start both run under the
 * BQL. Here the unregister and the register are each their own nested
 * begin/commit, as memory_listener_(un)register run them; the nested commit
 * ends a batch the outer transaction had begun (vhost_vdpa_listener_commit
 * clears iotlb_batch_begin_sent) and the outer transaction's next map or
 * unmap begins a new one.
 *
 * 0, or the errno of the first UPDATE (else INVALIDATE) that failed.
 */
static int device_reset(void *instance) {
  Instance *in = enter(instance);
  size_t nbuf, nsec, i;
  IovacheckQemuHostBuffer *bufs = iovacheck_qemu_live_buffers(&in->live, &nbuf);
  iovacheck_section *view = iovacheck_qemu_live_flat_view(&in->live, &nsec);
  MemoryListener *l = &in->v.listener;

  /* 1. vhost_vdpa_svqs_stop, then memory_listener_unregister. */
  for (i = 0; i < nbuf; i++) vhost_vdpa_svq_unmap_ring(&in->v, bufs[i].hva);
  if (l->begin) l->begin(l);
  for (i = 0; i < nsec; i++) show_region_del(in, &view[i]);
  if (l->commit) l->commit(l);
  /* 2. vhost_vdpa_svqs_start, then memory_listener_register. */
  for (i = 0; i < nbuf; i++) {
    if (do_map_host_buffer(in, bufs[i].hva, bufs[i].size, bufs[i].perm) != 0) {
      /* vhost_vdpa_svq_map_ring undid its allocation: nothing is held. */
      iovacheck_qemu_live_del_buffer(&in->live, bufs[i].hva, 0);
    }
  }
  if (l->begin) l->begin(l);
  for (i = 0; i < nsec; i++) show_region_add(in, &view[i]);
  if (l->commit) l->commit(l);

  g_free(bufs);
  g_free(view);
  /* Only a section or buffer that could not be mapped again is a failed
   * recovery; a refused INVALIDATE is only logged (see region_del). */
  return in->rt.first_update_errno;
}

/* QEMU 7.2's vhost-vdpa has no vIOMMU support (no IOMMU notifier; the
 * listener treats an IOMMU region like any other section), so there is no
 * QEMU code to call for a guest IOMMU MAP/UNMAP. */
static int iommu_map(void *instance, uint64_t giova, uint64_t size,
                     uint64_t hva, uint8_t perm) {
  (void)enter(instance);
  (void)giova;
  (void)size;
  (void)hva;
  (void)perm;
  return ENOTSUP;
}

static int iommu_unmap(void *instance, uint64_t giova, uint64_t last) {
  (void)enter(instance);
  (void)giova;
  (void)last;
  return ENOTSUP;
}

static const iovacheck_plugin plugin = {
    .abi_version = IOVACHECK_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(iovacheck_plugin),
    .name = IOVACHECK_QEMU_VERSION,
    .create = create,
    .destroy = destroy,
    .listener_begin = listener_begin,
    .listener_commit = listener_commit,
    .region_add = region_add,
    .region_del = region_del,
    .map_host_buffer = map_host_buffer,
    .unmap_host_buffer = unmap_host_buffer,
    .translate_buffer = translate_buffer,
    .allocations = allocations,
    .set_shadow_data = set_shadow_data,
    .device_reset = device_reset,
    .iommu_map = iommu_map,
    .iommu_unmap = iommu_unmap,
    /* vhost_vdpa_set_backend_cap (hw/virtio/vhost-vdpa.c:676-698 in 7.2)
     * acks MSG_V2 and BATCH only: no address spaces, no IOTLB_PERSIST. */
    .acked_backend_features = (1ULL << IOVACHECK_F_IOTLB_MSG_V2) |
                              (1ULL << IOVACHECK_F_IOTLB_BATCH),
};

IOVACHECK_QEMU_EXPORT const iovacheck_plugin *iovacheck_plugin_entry(void) {
  return &plugin;
}
