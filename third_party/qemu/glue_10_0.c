/*
 * The qemu-10.0 plug-in's glue (ours): builds QEMU 10.0's vhost-vdpa
 * structures and drives QEMU's own functions, cut verbatim from the Debian
 * sources at build time, through the iovacheck_plugin table.
 */
#include "iovacheck_qemu_shim.h"
#include "third_party/qemu/iova_tree_access.h"

/* QEMU 10.0's code, cut by name at build time (see BUILD.bazel). */
#include IOVACHECK_CUT_VHOST_VDPA  /* third_party/qemu/cut/qemu-10.0/vhost-vdpa.inc, or a patched build's (qemu_plugin.bzl) */
#include IOVACHECK_CUT_VHOST_SHADOW_VIRTQUEUE  /* third_party/qemu/cut/qemu-10.0/vhost-shadow-virtqueue.inc, or a patched build's (qemu_plugin.bzl) */
#include IOVACHECK_CUT_NET_VHOST_VDPA  /* third_party/qemu/cut/qemu-10.0/net-vhost-vdpa.inc, or a patched build's (qemu_plugin.bzl) */

#undef write

typedef struct Instance {
  IovacheckQemuRuntime rt;
  VhostVDPAShared shared;
  /* One struct vhost_vdpa per address space: vdpa[asid].address_space_id. */
  struct vhost_vdpa *vdpa;
  uint32_t num_as;
  /* Under a vIOMMU: the guest IOMMU's memory region, the one section of
   * the device's DMA address space (see show_iommu_region_add). */
  IOMMUMemoryRegion iommu_mr;
  /* What QEMU's memory core and device start would show again. */
  IovacheckQemuLive live;
} Instance;

static Instance *enter(void *instance) {
  Instance *in = instance;
  iovacheck_qemu_enter(&in->rt);
  return in;
}

/*
 * Under a vIOMMU the device's DMA address space (dev->vdev->dma_as, where
 * QEMU 10.0 registers the listener, vhost-vdpa.c:1378) holds the guest
 * IOMMU's memory region, one section over the whole guest IOVA space:
 * offset_within_address_space 0, offset_within_region 0, size 2^64. Shown
 * to QEMU's own listener functions, without entering:
 *
 *  - region_add (vhost-vdpa.c:314-406): vhost_vdpa_listener_skipped_section
 *    (:44-88) skips an IOMMU section only when its start is below
 *    iova_range.first (:64-69; the end check is left to the notifier,
 *    :70-85), so a device whose usable IOVAs start above 0 never gets the
 *    guest's mappings, as in QEMU. Otherwise (:330-333)
 *    vhost_vdpa_iommu_region_add (:254-293): a notifier over
 *    [0, 2^64 - 1] registered with memory_region_register_iommu_notifier
 *    and memory_region_iommu_replay of the guest's current translations,
 *    each a MAP to vhost_vdpa_iommu_map_notify (:202-252), i.e. an UPDATE.
 *  - region_del (:409-487): vhost_vdpa_iommu_region_del (:295-312)
 *    unregisters the notifier, and the call does not return (:423-425),
 *    so the section then goes the normal unmap path: without shadow data,
 *    an INVALIDATE of [0, 2^64), sent as two halves (:466-477).
 *
 * Both run QEMU's code (cut from vhost-vdpa.c); the region and its
 * notifier API are the shim's (glue_common.c, after system/memory.c).
 */
static void show_iommu_region_add(Instance *in) {
  MemoryRegionSection section;
  iovacheck_qemu_iommu_section(&in->iommu_mr, &section);
  in->shared.listener.region_add(&in->shared.listener, &section);
}

static void show_iommu_region_del(Instance *in) {
  MemoryRegionSection section;
  iovacheck_qemu_iommu_section(&in->iommu_mr, &section);
  in->shared.listener.region_del(&in->shared.listener, &section);
}

static void *create(const iovacheck_device_config *config,
                    const iovacheck_host *host) {
  Instance *in = g_new0(Instance, 1);
  uint32_t i;
  iovacheck_qemu_runtime_init(&in->rt, config, host);
  iovacheck_qemu_enter(&in->rt);
  in->num_as = config->num_address_spaces ? config->num_address_spaces : 1;
  in->shared.device_fd = in->rt.device_fd;
  /* As vhost_vdpa_init_dev: the listener is QEMU's static table. */
  in->shared.listener = vhost_vdpa_memory_listener;
  in->shared.iova_range.first = config->iova_first;
  in->shared.iova_range.last = config->iova_last;
  in->shared.backend_cap = config->backend_features;
  /* iovacheck starts with shadow virtqueues on (see set_shadow_data),
   * except under a vIOMMU: QEMU refuses SVQ with one ("SVQ can not work
   * while IOMMU enable", vhost_vdpa_dev_start, vhost-vdpa.c:1373-1376), and
   * the data queues then run unshadowed (net/vhost-vdpa.c:389,
   * shadow_data = shadow_vqs_enabled). */
  in->shared.shadow_data = !config->viommu;
  /* As net/vhost-vdpa.c's net_vhost_vdpa_init. */
  in->shared.iova_tree = vhost_iova_tree_new(config->iova_first,
                                             config->iova_last);
  in->vdpa = g_new0(struct vhost_vdpa, in->num_as);
  for (i = 0; i < in->num_as; i++) {
    in->vdpa[i].index = (int)i;
    in->vdpa[i].address_space_id = i;
    in->vdpa[i].shadow_vqs_enabled = in->shared.shadow_data;
    in->vdpa[i].shared = &in->shared;
  }
  QLIST_INIT(&in->shared.iommu_list);
  iovacheck_qemu_iommu_init(&in->iommu_mr, "iovacheck-viommu");
  if (config->viommu) {
    /* The device's first start: memory_listener_register(&v->shared->
     * listener, dev->vdev->dma_as) (vhost-vdpa.c:1378) shows the listener
     * the DMA address space's one section, the IOMMU region, in a
     * transaction (listener_add_address_space, system/memory.c:3047-3110).
     * The guest IOMMU holds no translation yet: the replay maps nothing. */
    MemoryListener *l = &in->shared.listener;
    in->rt.defer_logs = 1; /* e.g. the section skipped below iova_first */
    if (l->begin) l->begin(l);
    show_iommu_region_add(in);
    if (l->commit) l->commit(l);
    in->rt.defer_logs = 0;
  }
  return in;
}

static void destroy(void *instance) {
  Instance *in = enter(instance);
  struct vdpa_iommu *iommu, *next;
  /* QEMU would unregister the listener (region_del of the IOMMU section);
   * here only what vhost_vdpa_iommu_region_add allocated is freed. */
  QLIST_FOREACH_SAFE(iommu, &in->shared.iommu_list, iommu_next, next) {
    QLIST_REMOVE(iommu, iommu_next);
    g_free(iommu);
  }
  iovacheck_qemu_iommu_free(&in->iommu_mr);
  vhost_iova_tree_delete(in->shared.iova_tree);
  iovacheck_qemu_live_free(&in->live);
  g_free(in->vdpa);
  g_free(in);
}

static void listener_begin(void *instance) {
  Instance *in = enter(instance);
  /* vhost_vdpa_memory_listener has no .begin hook: nothing happens at a
   * transaction's begin; the first map/unmap sends BATCH_BEGIN once. */
  if (in->shared.listener.begin) in->shared.listener.begin(&in->shared.listener);
}

static void listener_commit(void *instance) {
  Instance *in = enter(instance);
  in->shared.listener.commit(&in->shared.listener);
}

/* QEMU's listener region_add/region_del on one section, without entering. */
static void show_region_add(Instance *in, const iovacheck_section *s) {
  MemoryRegion mr;
  MemoryRegionSection section;
  iovacheck_qemu_make_section(s, &mr, &section);
  in->shared.listener.region_add(&in->shared.listener, &section);
}

static void show_region_del(Instance *in, const iovacheck_section *s) {
  MemoryRegion mr;
  MemoryRegionSection section;
  iovacheck_qemu_make_section(s, &mr, &section);
  in->shared.listener.region_del(&in->shared.listener, &section);
}

/*
 * With a vIOMMU the listener never sees guest RAM: QEMU 10.0 registers it
 * on the device's DMA address space (hw/virtio/vhost-vdpa.c:1378,
 * memory_listener_register(&v->shared->listener, dev->vdev->dma_as)), and
 * behind a vIOMMU that address space holds the IOMMU region, not system
 * RAM. Guest memory then arrives only through the IOMMU notifier
 * (iommu_map/iommu_unmap below), so a RAM section is nothing QEMU's
 * listener would be shown: not passed on, and not part of the flat view a
 * device reset shows again.
 */
static int region_add(void *instance, const iovacheck_section *s) {
  Instance *in = enter(instance);
  if (in->rt.config.viommu) return 0;
  /* The section is in the flat view whatever the listener makes of it. */
  iovacheck_qemu_live_add_section(&in->live, s);
  show_region_add(in, s);
  /* region_add returns void; it fails when it says so, at its `fail:` label
   * ("vhost-vdpa: DMA mapping failed", vhost-vdpa.c:366-405): a refused UPDATE, or an IOVA
   * tree that would not allocate. A failed BATCH_BEGIN is only logged by
   * vhost_vdpa_iotlb_batch_begin_once and the map goes on. */
  return iovacheck_qemu_region_add_errno(&in->rt);
}

static int region_del(void *instance, const iovacheck_section *s) {
  Instance *in = enter(instance);
  if (in->rt.config.viommu) return 0; /* see region_add */
  iovacheck_qemu_live_del_section(&in->live, s);
  show_region_del(in, s);
  /* QEMU's unmap paths return void: a refused INVALIDATE is only logged
   * ("vhost_vdpa_dma_unmap(...) = %d") and QEMU carries on. Whatever the
   * device kept is judged by the oracle's state checks, not by a code QEMU
   * never returns: an INVALIDATE of an address space never created (its
   * only UPDATE was refused) is EINVAL at the kernel and harmless. */
  return 0;
}

static uint64_t round_host_page(uint64_t size) {
  return ROUND_UP(size, (uint64_t)qemu_real_host_page_size());
}

/*
 * Host buffers. QEMU maps two kinds: SVQ vring areas with
 * vhost_vdpa_svq_map_ring (driver area RO, device area RW, their sizes
 * rounded up to the host page by vhost_svq_{driver,device}_area_size), in
 * the address space of the vhost_vdpa they belong to; and the CVQ's command
 * and status buffers with vhost_vdpa_cvq_map_buf, one CVQ page each
 * (vhost_vdpa_net_cvq_cmd_page_len()), in the CVQ's address space, which is
 * its own (VHOST_VDPA_NET_CVQ_ASID) when the CVQ is isolated. iovacheck's
 * host buffers in a non-zero ASID of exactly one CVQ page are therefore the
 * isolated CVQ's buffers and go through the CVQ functions; everything else
 * is a vring area. The unmap side makes the same choice.
 */
static bool is_cvq_buffer(uint64_t size, uint32_t asid) {
  return asid != VHOST_VDPA_GUEST_PA_ASID &&
         round_host_page(size) == vhost_vdpa_net_cvq_cmd_page_len();
}

/* Without entering: device_reset calls these in the middle of its call. */
static int do_map_host_buffer(Instance *in, uint64_t hva, uint64_t size,
                              uint8_t perm, uint32_t asid) {
  struct vhost_vdpa *v;
  if (asid >= in->num_as) return EINVAL;
  v = &in->vdpa[asid];
  if (is_cvq_buffer(size, asid)) {
    int r = vhost_vdpa_cvq_map_buf(v, (void *)(uintptr_t)hva,
                                   vhost_vdpa_net_cvq_cmd_page_len(),
                                   perm == VHOST_ACCESS_RW);
    if (r == 0) return 0;
    return in->rt.first_update_errno ? in->rt.first_update_errno
                                     : iovacheck_qemu_iova_errno(r);
  } else {
    Error *err = NULL;
    DMAMap needle = {
        .size = round_host_page(size) - 1,
        .perm = perm == VHOST_ACCESS_RW ? IOMMU_RW : IOMMU_RO,
    };
    bool ok = vhost_vdpa_svq_map_ring(v, &needle, hva, &err);
    if (ok) return 0;
    error_report_err(err);
    /* The bool says only that it failed: a failed UPDATE, or else the IOVA
     * tree could not allocate (or insert) the range. */
    return in->rt.first_update_errno ? in->rt.first_update_errno : ENOMEM;
  }
}

static void do_unmap_host_buffer(Instance *in, uint64_t hva, uint64_t size,
                                 uint32_t asid) {
  struct vhost_vdpa *v = &in->vdpa[asid];
  if (is_cvq_buffer(size, asid)) {
    vhost_vdpa_cvq_unmap_buf(v, (void *)(uintptr_t)hva);
  } else {
    vhost_vdpa_svq_unmap_ring(v, hva);
  }
}

static int map_host_buffer(void *instance, uint64_t hva, uint64_t size,
                           uint8_t perm, uint32_t asid) {
  Instance *in = enter(instance);
  int r = do_map_host_buffer(in, hva, size, perm, asid);
  if (r == 0) iovacheck_qemu_live_add_buffer(&in->live, hva, size, perm, asid);
  return r;
}

static int unmap_host_buffer(void *instance, uint64_t hva, uint64_t size,
                             uint32_t asid) {
  Instance *in = enter(instance);
  if (asid >= in->num_as) return EINVAL;
  iovacheck_qemu_live_del_buffer(&in->live, hva, asid);
  do_unmap_host_buffer(in, hva, size, asid);
  /* QEMU's unmap paths return void: a refused INVALIDATE is only logged
   * ("vhost_vdpa_dma_unmap(...) = %d") and QEMU carries on. Whatever the
   * device kept is judged by the oracle's state checks, not by a code QEMU
   * never returns: an INVALIDATE of an address space never created (its
   * only UPDATE was refused) is EINVAL at the kernel and harmless. */
  return 0;
}

static int translate_one_call(Instance *in, const iovacheck_iovec *iovecs,
                              size_t count, bool with_gpas, uint64_t *iovas) {
  VhostShadowVirtqueue svq = {.iova_tree = in->shared.iova_tree};
  struct iovec *iov = g_new0(struct iovec, count);
  hwaddr *gpas = with_gpas ? g_new0(hwaddr, count) : NULL;
  hwaddr *addrs = g_new0(hwaddr, count);
  size_t i;
  bool ok;
  for (i = 0; i < count; i++) {
    iov[i].iov_base = (void *)(uintptr_t)iovecs[i].hva;
    iov[i].iov_len = iovecs[i].len;
    if (gpas) gpas[i] = iovecs[i].gpa;
  }
  ok = vhost_svq_translate_addr(&svq, addrs, iov, count, gpas);
  for (i = 0; ok && i < count; i++) iovas[i] = addrs[i];
  g_free(iov);
  g_free(gpas);
  g_free(addrs);
  return ok ? 0 : EFAULT;
}

static int translate_buffer(void *instance, const iovacheck_iovec *iovecs,
                            size_t count, uint64_t *iovas) {
  Instance *in = enter(instance);
  size_t i, with_gpa = 0;
  for (i = 0; i < count; i++) with_gpa += iovecs[i].has_gpa != 0;
  if (!in->shared.shadow_data && with_gpa) {
    /* Without shadow data QEMU never translates a guest buffer: data queues
     * are not shadowed and the device reads guest memory at IOVA = GPA.
     * Guest elements are answered with their GPA (unchecked: QEMU has no
     * check to run); host-only ones still go through QEMU's translation. */
    for (i = 0; i < count; i++) {
      int r;
      if (iovecs[i].has_gpa) {
        iovas[i] = iovecs[i].gpa;
        continue;
      }
      r = translate_one_call(in, &iovecs[i], 1, false, &iovas[i]);
      if (r) return r;
    }
    return 0;
  }
  /* QEMU passes the element's GPAs for guest buffers (vhost_svq_add_split:
   * elem->out_addr/in_addr) and NULL for its own CVQ shadow buffers. */
  if (with_gpa == count) return translate_one_call(in, iovecs, count, true, iovas);
  if (with_gpa == 0) return translate_one_call(in, iovecs, count, false, iovas);
  /* A mix (never built by QEMU): one element per call, each as QEMU would
   * for its kind; QEMU's loop treats elements independently anyway. */
  for (i = 0; i < count; i++) {
    int r = translate_one_call(in, &iovecs[i], 1, iovecs[i].has_gpa != 0,
                               &iovas[i]);
    if (r) return r;
  }
  return 0;
}

static size_t allocations(void *instance, iovacheck_allocation *out,
                          size_t capacity) {
  Instance *in = instance;
  iovacheck_qemu_enter_query(&in->rt);
  return iovacheck_vhost_iova_tree_allocations(in->shared.iova_tree, out,
                                               capacity);
}

static void set_shadow_data(void *instance, int enabled) {
  Instance *in = enter(instance);
  uint32_t i;
  in->shared.shadow_data = enabled != 0;
  /* Data vrings are shadowed exactly when shadow_data is set (10.0's
   * vhost_vdpa_net_data_start_first / vhost_vdpa_net_cvq_start). */
  for (i = 0; i < in->num_as; i++) in->vdpa[i].shadow_vqs_enabled = enabled;
}

/*
 * The device was reset (VHOST_VDPA_SET_STATUS 0, sent by
 * vhost_vdpa_reset_device, hw/virtio/vhost-vdpa.c:885-895). In QEMU 10.0 a
 * reset is part of a device stop and the start that follows, and the glue
 * plays that lifecycle around QEMU's cut functions, in QEMU's order:
 *
 *  1. vhost_dev_stop (hw/virtio/vhost.c:2139-2167) first calls
 *     vhost_vdpa_dev_start(dev, false) (vhost-vdpa.c:1350-1384), whose
 *     vhost_vdpa_svqs_stop (:1308-1323) unmaps each SVQ's rings with
 *     vhost_vdpa_svq_unmap_rings -> vhost_vdpa_svq_unmap_ring; the net
 *     client's vhost_vdpa_net_cvq_stop likewise unmaps the CVQ buffers with
 *     vhost_vdpa_cvq_unmap_buf. Here: every live host buffer, through the
 *     same function unmap_host_buffer uses.
 *  2. It then calls vhost_vdpa_reset_status (:1386-1398): reset the device,
 *     then memory_listener_unregister(&v->shared->listener), which in
 *     QEMU's memory core (system/memory.c:3112-3161,
 *     listener_del_address_space) calls the listener's begin (none for
 *     vhost-vdpa), region_del for every section of the flat view in address
 *     order, and commit.
 *  3. vhost_dev_start (hw/virtio/vhost.c:2013, :2085) calls vhost_vdpa_dev_start(dev, true): svqs_start
 *     (:1253-1306) maps the rings again with vhost_vdpa_svq_map_ring (and
 *     vhost_vdpa_net_cvq_start the CVQ buffers with
 *     vhost_vdpa_cvq_map_buf), then memory_listener_register(&v->shared->
 *     listener, dev->vdev->dma_as) (:1378), which in listener_add_address_space
 *     (system/memory.c:3047-3110) calls begin, region_add for every section
 *     of the flat view, and commit.
 *
 * With a vIOMMU the flat view of dma_as holds no RAM (see region_add) but
 * the guest IOMMU's region: step 2 is region_del of that section
 * (vhost_vdpa_iommu_region_del unregisters the notifier, then the fall-
 * through INVALIDATE of the whole space in two halves), step 3 its
 * region_add (a notifier registered again and memory_region_iommu_replay:
 * an UPDATE for every translation the guest IOMMU holds). See
 * show_iommu_region_add.
 *
 * The harness may reset the device inside a listener transaction (between
 * listener_begin and listener_commit). QEMU cannot do that: a memory
 * transaction and a device stop/start both run under the BQL, so a reset
 * never interleaves with a transaction. The nearest QEMU comes is the
 * transaction committed just before the stop and the rest of its changes
 * made in a transaction of their own just after: so the open transaction
 * is committed first (vhost_vdpa_listener_commit ends the batch it began;
 * the kernel keeps a batch open across a reset, bound to its address space,
 * and would refuse step 1's CVQ unmaps in address space 1), and the outer
 * transaction's next map or unmap begins a new batch. The unregister and
 * the register are each their own begin/commit, as memory_listener_
 * (un)register run them.
 *
 * 0, or the errno of the first UPDATE (else INVALIDATE) that failed.
 */
static int device_reset(void *instance) {
  Instance *in = enter(instance);
  size_t nbuf, nsec, i;
  IovacheckQemuHostBuffer *bufs = iovacheck_qemu_live_buffers(&in->live, &nbuf);
  iovacheck_section *view = iovacheck_qemu_live_flat_view(&in->live, &nsec);
  MemoryListener *l = &in->shared.listener;

  /* 0. The open transaction, if any, as QEMU would have finished it. */
  if (l->commit) l->commit(l);
  /* 1. vhost_vdpa_svqs_stop / vhost_vdpa_net_cvq_stop. */
  for (i = 0; i < nbuf; i++) {
    do_unmap_host_buffer(in, bufs[i].hva, bufs[i].size, bufs[i].asid);
  }
  /* 2. memory_listener_unregister -> listener_del_address_space. */
  if (l->begin) l->begin(l);
  for (i = 0; i < nsec; i++) show_region_del(in, &view[i]);
  if (in->rt.config.viommu) show_iommu_region_del(in);
  if (l->commit) l->commit(l);
  /* 3. vhost_vdpa_svqs_start / vhost_vdpa_net_cvq_start ... */
  for (i = 0; i < nbuf; i++) {
    if (do_map_host_buffer(in, bufs[i].hva, bufs[i].size, bufs[i].perm,
                           bufs[i].asid) != 0) {
      /* QEMU holds no mapping for it any more (map_ring/cvq_map_buf undo
       * their allocation on failure). */
      iovacheck_qemu_live_del_buffer(&in->live, bufs[i].hva, bufs[i].asid);
    }
  }
  /* ... then memory_listener_register -> listener_add_address_space. */
  if (l->begin) l->begin(l);
  for (i = 0; i < nsec; i++) show_region_add(in, &view[i]);
  if (in->rt.config.viommu) {
    /* The replay's UPDATEs go through vhost_vdpa_iommu_map_notify, which
     * only logs a refused map (vhost-vdpa.c:236-242): QEMU's device start
     * goes on, so a refusal there is no failed recovery. */
    int before = in->rt.first_update_errno;
    show_iommu_region_add(in);
    in->rt.first_update_errno = before;
  }
  if (l->commit) l->commit(l);

  g_free(bufs);
  g_free(view);
  /* Only a section or buffer that could not be mapped again is a failed
   * recovery; a refused INVALIDATE is only logged (see region_del). */
  return in->rt.first_update_errno;
}

/*
 * The guest IOMMU (the vIOMMU device model, ours): a MAP or UNMAP changes
 * its translations and is notified to every registered notifier through
 * memory_region_notify_iommu (system/memory.c:2059-2072), which reaches
 * QEMU's vhost_vdpa_iommu_map_notify once vhost_vdpa_iommu_region_add has
 * registered it. Without a vIOMMU there is no IOMMU region, no notifier,
 * and nothing to notify: EINVAL.
 */
static int iommu_map(void *instance, uint64_t giova, uint64_t size,
                     uint64_t hva, uint8_t perm) {
  Instance *in = enter(instance);
  IOMMUAccessFlags flags = perm == VHOST_ACCESS_RO   ? IOMMU_RO
                           : perm == VHOST_ACCESS_WO ? IOMMU_WO
                                                     : IOMMU_RW;
  if (!in->rt.config.viommu || size == 0) return EINVAL;
  iovacheck_qemu_iommu_map(&in->iommu_mr, giova, size, hva, flags);
  /* A MAP fails when its UPDATE did. */
  return in->rt.first_update_errno;
}

static int iommu_unmap(void *instance, uint64_t giova, uint64_t last) {
  Instance *in = enter(instance);
  if (!in->rt.config.viommu || last < giova) return EINVAL;
  iovacheck_qemu_iommu_unmap(&in->iommu_mr, giova, last);
  /* QEMU's unmap paths return void: a refused INVALIDATE is only logged
   * ("vhost_vdpa_dma_unmap(...) = %d") and QEMU carries on. Whatever the
   * device kept is judged by the oracle's state checks, not by a code QEMU
   * never returns: an INVALIDATE of an address space never created (its
   * only UPDATE was refused) is EINVAL at the kernel and harmless. */
  return 0;
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
    /* vhost_vdpa_set_backend_cap (hw/virtio/vhost-vdpa.c:846-874) acks
     * MSG_V2, BATCH, ASID and SUSPEND of what the device offers; never
     * IOTLB_PERSIST. */
    .acked_backend_features = (1ULL << IOVACHECK_F_IOTLB_MSG_V2) |
                              (1ULL << IOVACHECK_F_IOTLB_BATCH) |
                              (1ULL << IOVACHECK_F_IOTLB_ASID),
};

IOVACHECK_QEMU_EXPORT const iovacheck_plugin *iovacheck_plugin_entry(void) {
  return &plugin;
}
