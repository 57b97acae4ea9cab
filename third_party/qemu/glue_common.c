/* The QEMU plug-ins' runtime (ours); see glue_common.h. */
#include "third_party/qemu/glue_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/osdep.h"
#include "exec/memory.h"
#include "qemu/iova-tree.h"
#include "standard-headers/linux/vhost_types.h" /* QEMU's own copy */

static IovacheckQemuRuntime *current;
static int next_fd = 100;

AddressSpace address_space_memory = {.name = "memory"};

void iovacheck_qemu_runtime_init(IovacheckQemuRuntime *rt,
                                 const iovacheck_device_config *config,
                                 const iovacheck_host *host) {
  memset(rt, 0, sizeof(*rt));
  rt->host = *host;
  rt->config = *config;
  rt->device_fd = next_fd++;
}

void iovacheck_qemu_enter(IovacheckQemuRuntime *rt) {
  size_t i;
  current = rt;
  for (i = 0; i < rt->num_deferred_logs; i++) {
    if (rt->host.log) rt->host.log(rt->host.ctx, rt->deferred_logs[i]);
    g_free(rt->deferred_logs[i]);
  }
  g_free(rt->deferred_logs);
  rt->deferred_logs = NULL;
  rt->num_deferred_logs = 0;
  rt->first_write_errno = 0;
  rt->first_update_errno = 0;
  rt->first_invalidate_errno = 0;
  rt->reported_map_failure = 0;
  rt->iova_tree_error = 0;
}

void iovacheck_qemu_enter_query(IovacheckQemuRuntime *rt) { current = rt; }

int iovacheck_qemu_region_add_errno(const IovacheckQemuRuntime *rt) {
  if (!rt->reported_map_failure) return 0;
  if (rt->first_update_errno != 0) return rt->first_update_errno;
  switch (rt->iova_tree_error) {
    case -3: return ENOMEM; /* IOVA_ERR_NOMEM */
    case -2: return EEXIST; /* IOVA_ERR_OVERLAP */
    default: return EINVAL; /* IOVA_ERR_INVALID, or nothing said */
  }
}

static void vlog(const char *prefix, const char *fmt, va_list ap) {
  char line[1024];
  int saved_errno = errno; /* QEMU's formats may use %m */
  size_t n = strlen(prefix);
  if (n >= sizeof(line)) n = sizeof(line) - 1;
  memcpy(line, prefix, n);
  errno = saved_errno;
  vsnprintf(line + n, sizeof(line) - n, fmt, ap);
  /* QEMU's messages sometimes end in '\n'; a log line has none. */
  n = strlen(line);
  while (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
  if (current && current->defer_logs) {
    current->deferred_logs = g_renew(char *, current->deferred_logs,
                                     current->num_deferred_logs + 1);
    current->deferred_logs[current->num_deferred_logs++] = g_strdup(line);
  } else if (current && current->host.log) {
    current->host.log(current->host.ctx, line);
  } else {
    fprintf(stderr, "%s\n", line);
  }
  errno = saved_errno;
}

void iovacheck_qemu_log(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog("", fmt, ap);
  va_end(ap);
}

void iovacheck_qemu_trace(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog("", fmt, ap);
  va_end(ap);
}

void error_report(const char *fmt, ...) {
  va_list ap;
  int code;
  va_start(ap, fmt);
  vlog("", fmt, ap);
  va_end(ap);
  /* QEMU's own words for a failed region_add (see glue_common.h). */
  if (current == NULL) return;
  if (strcmp(fmt, "vhost-vdpa: DMA mapping failed, unable to continue") == 0) {
    current->reported_map_failure = 1;
  } else if (strcmp(fmt, "Can't allocate a mapping (%d)") == 0) {
    va_start(ap, fmt);
    code = va_arg(ap, int);
    va_end(ap);
    if (current->iova_tree_error == 0) current->iova_tree_error = code;
  }
}

void qemu_log_mask(int mask, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog(mask & LOG_GUEST_ERROR ? "guest error: " : "", fmt, ap);
  va_end(ap);
}

void iovacheck_qemu_unreachable(const char *what) {
  iovacheck_qemu_log("iovacheck: QEMU reached %s, which the shim does not "
                     "provide",
                     what);
  abort();
}

ssize_t iovacheck_qemu_write(int fd, const void *buf, size_t len) {
  long r;
  if (!current || fd != current->device_fd) {
    errno = EBADF;
    return -1;
  }
  r = current->host.device_write(current->host.ctx, buf, len);
  if (r < 0) {
    /* struct vhost_msg and vhost_msg_v2 both hold the iotlb message at
     * offset 8 (a 4-byte type, then 4 bytes of padding or the asid). */
    _Static_assert(offsetof(struct vhost_msg, iotlb) ==
                       offsetof(struct vhost_msg_v2, iotlb),
                   "iotlb offset");
    size_t type_at = offsetof(struct vhost_msg_v2, iotlb) +
                     offsetof(struct vhost_iotlb_msg, type);
    if (current->first_write_errno == 0) current->first_write_errno = (int)-r;
    if (len > type_at) {
      uint8_t type = ((const uint8_t *)buf)[type_at];
      if (type == VHOST_IOTLB_UPDATE && current->first_update_errno == 0) {
        current->first_update_errno = (int)-r;
      }
      if (type == VHOST_IOTLB_INVALIDATE &&
          current->first_invalidate_errno == 0) {
        current->first_invalidate_errno = (int)-r;
      }
    }
    errno = (int)-r;
    return -1;
  }
  return r;
}

size_t qemu_real_host_page_size(void) {
  return current ? (size_t)current->config.host_page_size : 4096;
}

size_t qemu_target_page_size(void) {
  return current ? (size_t)current->config.target_page_size : 4096;
}

/* qapi/error.h, enough for the messages QEMU's code builds. */
void iovacheck_qemu_error_setg(Error **errp, int os_errno, const char *fmt,
                               ...) {
  va_list ap;
  char *msg;
  Error *err;
  va_start(ap, fmt);
  msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (os_errno) {
    char *with = g_strdup_printf("%s: %s", msg, g_strerror(os_errno));
    g_free(msg);
    msg = with;
  }
  if (!errp || *errp) { /* QEMU keeps the first error */
    g_free(msg);
    return;
  }
  err = g_new0(Error, 1);
  err->msg = msg;
  *errp = err;
}

void error_append_hint(Error *const *errp, const char *fmt, ...) {
  va_list ap;
  char *hint, *with;
  if (!errp || !*errp) return;
  va_start(ap, fmt);
  hint = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  with = g_strdup_printf("%s (%s)", (*errp)->msg, hint);
  g_free(hint);
  g_free((*errp)->msg);
  (*errp)->msg = with;
}

void error_free(Error *err) {
  if (!err) return;
  g_free(err->msg);
  g_free(err);
}

void error_report_err(Error *err) {
  if (!err) return;
  error_report("%s", err->msg);
  error_free(err);
}

bool memory_get_xlat_addr(IOMMUTLBEntry *iotlb, void **vaddr,
                          ram_addr_t *ram_addr, bool *read_only,
                          bool *mr_has_discard_manager, Error **errp) {
  (void)errp;
  /* Identity flat view on HVAs: see exec/memory.h in the shim. */
  if (vaddr) *vaddr = (void *)(uintptr_t)iotlb->translated_addr;
  if (ram_addr) *ram_addr = iotlb->translated_addr;
  if (read_only) *read_only = !(iotlb->perm & IOMMU_WO);
  if (mr_has_discard_manager) *mr_has_discard_manager = false;
  return true;
}

void iovacheck_qemu_make_section(const iovacheck_section *s, MemoryRegion *mr,
                                 MemoryRegionSection *section) {
  uint64_t page = qemu_target_page_size();
  uint64_t offset = s->hva & (page - 1);
  memset(mr, 0, sizeof(*mr));
  memset(section, 0, sizeof(*section));
  mr->name = "iovacheck-section";
  mr->ram = s->ram != 0;
  mr->ram_ptr = (void *)(uintptr_t)(s->hva - offset);
  section->mr = mr;
  section->size = int128_make64(s->size);
  section->offset_within_region = offset;
  section->offset_within_address_space = s->gpa;
  section->readonly = s->readonly != 0;
}

int iovacheck_qemu_iova_errno(int iova_err) {
  switch (iova_err) {
    case IOVA_ERR_INVALID: return EINVAL;
    case IOVA_ERR_OVERLAP: return EEXIST;
    case IOVA_ERR_NOMEM: return ENOMEM;
    default: return iova_err < 0 ? -iova_err : iova_err;
  }
}

void iovacheck_qemu_live_free(IovacheckQemuLive *live) {
  g_free(live->sections);
  g_free(live->buffers);
  memset(live, 0, sizeof(*live));
}

void iovacheck_qemu_live_add_section(IovacheckQemuLive *live,
                                     const iovacheck_section *s) {
  if (live->num_sections == live->cap_sections) {
    live->cap_sections = live->cap_sections ? 2 * live->cap_sections : 16;
    live->sections = g_renew(iovacheck_section, live->sections,
                             live->cap_sections);
  }
  live->sections[live->num_sections++] = *s;
}

void iovacheck_qemu_live_del_section(IovacheckQemuLive *live,
                                     const iovacheck_section *s) {
  size_t i, found = live->num_sections;
  for (i = 0; i < live->num_sections; i++) {
    const iovacheck_section *l = &live->sections[i];
    if (l->gpa == s->gpa && l->size == s->size && l->hva == s->hva &&
        l->readonly == s->readonly && l->ram == s->ram) {
      found = i;
      break;
    }
    if (found == live->num_sections && l->gpa == s->gpa) found = i;
  }
  if (found == live->num_sections) return;
  live->sections[found] = live->sections[--live->num_sections];
}

static int by_gpa(const void *a, const void *b) {
  const iovacheck_section *x = a, *y = b;
  if (x->gpa != y->gpa) return x->gpa < y->gpa ? -1 : 1;
  if (x->size != y->size) return x->size < y->size ? -1 : 1;
  return 0;
}

iovacheck_section *iovacheck_qemu_live_flat_view(const IovacheckQemuLive *live,
                                                 size_t *count) {
  iovacheck_section *out = g_new0(iovacheck_section, live->num_sections + 1);
  if (live->num_sections) {
    memcpy(out, live->sections, live->num_sections * sizeof(*out));
    qsort(out, live->num_sections, sizeof(*out), by_gpa);
  }
  *count = live->num_sections;
  return out;
}

void iovacheck_qemu_live_add_buffer(IovacheckQemuLive *live, uint64_t hva,
                                    uint64_t size, uint8_t perm,
                                    uint32_t asid) {
  IovacheckQemuHostBuffer b = {hva, size, perm, asid};
  if (live->num_buffers == live->cap_buffers) {
    live->cap_buffers = live->cap_buffers ? 2 * live->cap_buffers : 16;
    live->buffers = g_renew(IovacheckQemuHostBuffer, live->buffers,
                            live->cap_buffers);
  }
  live->buffers[live->num_buffers++] = b;
}

void iovacheck_qemu_live_del_buffer(IovacheckQemuLive *live, uint64_t hva,
                                    uint32_t asid) {
  size_t i;
  for (i = 0; i < live->num_buffers; i++) {
    if (live->buffers[i].hva == hva && live->buffers[i].asid == asid) {
      memmove(&live->buffers[i], &live->buffers[i + 1],
              (live->num_buffers - i - 1) * sizeof(*live->buffers));
      live->num_buffers--;
      return;
    }
  }
}

IovacheckQemuHostBuffer *iovacheck_qemu_live_buffers(
    const IovacheckQemuLive *live, size_t *count) {
  IovacheckQemuHostBuffer *out =
      g_new0(IovacheckQemuHostBuffer, live->num_buffers + 1);
  if (live->num_buffers) {
    memcpy(out, live->buffers, live->num_buffers * sizeof(*out));
  }
  *count = live->num_buffers;
  return out;
}

/*
 * The IOMMU notifier API of QEMU 10.0's memory core (system/memory.c), for
 * the one IOMMU region the glue shows QEMU's listener under a vIOMMU. The
 * region has no IOMMUMemoryRegionClass hooks (no notify_flag_changed,
 * replay, attrs_to_index or num_indexes), so each function takes the path
 * QEMU's takes for such a region; regions here have no aliases.
 */

/* memory.c:1912-1934, without a notify_flag_changed hook. */
static void update_iommu_notify_flags(IOMMUMemoryRegion *iommu_mr) {
  IOMMUNotifierFlag flags = IOMMU_NOTIFIER_NONE;
  IOMMUNotifier *iommu_notifier;
  IOMMU_NOTIFIER_FOREACH(iommu_notifier, iommu_mr) {
    flags |= iommu_notifier->notifier_flags;
  }
  iommu_mr->iommu_notify_flags = flags;
}

/* memory.c:1936-1958: remember the notifier. QEMU notifies nothing here;
 * the caller replays (vhost_vdpa_iommu_region_add does, vhost-vdpa.c:290). */
int memory_region_register_iommu_notifier(MemoryRegion *mr, IOMMUNotifier *n,
                                          Error **errp) {
  IOMMUMemoryRegion *iommu_mr = IOMMU_MEMORY_REGION(mr);
  (void)errp;
  assert(n->notifier_flags != IOMMU_NOTIFIER_NONE);
  assert(n->start <= n->end);
  /* memory_region_iommu_num_indexes (memory.c:2098-2107) is 1 without a
   * num_indexes hook. */
  assert(n->iommu_idx == 0);
  QLIST_INSERT_HEAD(&iommu_mr->iommu_notify, n, node);
  update_iommu_notify_flags(iommu_mr);
  return 0;
}

/* memory.c:2000-2012: forget the notifier. QEMU sends it no UNMAP: the
 * list removal and the flags update are all (the range unmap helper,
 * memory_region_unmap_iommu_notifier_range at :2046-2057, is called by
 * some vIOMMUs, never here). */
void memory_region_unregister_iommu_notifier(MemoryRegion *mr,
                                             IOMMUNotifier *n) {
  IOMMUMemoryRegion *iommu_mr;
  QLIST_REMOVE(n, node);
  iommu_mr = IOMMU_MEMORY_REGION(mr);
  update_iommu_notify_flags(iommu_mr);
}

/*
 * memory.c:1971-1998, the generic replay of a region without its own
 * replay hook: walk the region's addresses upwards, translate each, and
 * notify n->notify directly (not through memory_region_notify_iommu_one)
 * for every translation whose perm is not IOMMU_NONE. The model's
 * translate answers an address with the whole translation holding it, so
 * the walk is one MAP per translation, in IOVA order, steps past each
 * (as virtio-iommu's own replay, hw/virtio/virtio-iommu.c:1326-1363,
 * notifies each mapping once).
 */
void memory_region_iommu_replay(IOMMUMemoryRegion *iommu_mr,
                                IOMMUNotifier *n) {
  size_t i, count = iommu_mr->num_translations;
  /* A notifier must not change the guest's translations, but walk a copy
   * anyway. */
  IOMMUTLBEntry *copy = g_new0(IOMMUTLBEntry, count + 1);
  if (count) memcpy(copy, iommu_mr->translations, count * sizeof(*copy));
  for (i = 0; i < count; i++) {
    IOMMUTLBEntry iotlb = copy[i];
    if (iotlb.perm != IOMMU_NONE) n->notify(n, &iotlb);
  }
  g_free(copy);
}

/* memory.c:2087-2096: 0 without an attrs_to_index hook. */
int memory_region_iommu_attrs_to_index(IOMMUMemoryRegion *iommu_mr,
                                       MemTxAttrs attrs) {
  (void)iommu_mr;
  (void)attrs;
  return 0;
}

/* memory.c:2014-2044. */
void memory_region_notify_iommu_one(IOMMUNotifier *notifier,
                                    const IOMMUTLBEvent *event) {
  const IOMMUTLBEntry *entry = &event->entry;
  hwaddr entry_end = entry->iova + entry->addr_mask;
  IOMMUTLBEntry tmp = *entry;

  if (event->type == IOMMU_NOTIFIER_UNMAP) {
    assert(entry->perm == IOMMU_NONE);
  }
  /* Skip the notification if it does not overlap the registered range. */
  if (notifier->start > entry_end || notifier->end < entry->iova) {
    return;
  }
  if (notifier->notifier_flags & IOMMU_NOTIFIER_DEVIOTLB_UNMAP) {
    tmp.iova = MAX(tmp.iova, notifier->start);
    tmp.addr_mask = MIN(entry_end, notifier->end) - tmp.iova;
  } else {
    assert(entry->iova >= notifier->start && entry_end <= notifier->end);
  }
  if (event->type & notifier->notifier_flags) {
    notifier->notify(notifier, &tmp);
  }
}

/* memory.c:2059-2072. */
void memory_region_notify_iommu(IOMMUMemoryRegion *iommu_mr, int iommu_idx,
                                const IOMMUTLBEvent event) {
  IOMMUNotifier *iommu_notifier;
  assert(memory_region_is_iommu(MEMORY_REGION(iommu_mr)));
  IOMMU_NOTIFIER_FOREACH(iommu_notifier, iommu_mr) {
    if (iommu_notifier->iommu_idx == iommu_idx) {
      memory_region_notify_iommu_one(iommu_notifier, &event);
    }
  }
}

/* The vIOMMU model (ours; see glue_common.h). */

void iovacheck_qemu_iommu_init(IOMMUMemoryRegion *iommu_mr, const char *name) {
  memset(iommu_mr, 0, sizeof(*iommu_mr));
  iommu_mr->parent_obj.name = name;
  iommu_mr->parent_obj.iommu = true;
  QLIST_INIT(&iommu_mr->iommu_notify);
}

void iovacheck_qemu_iommu_free(IOMMUMemoryRegion *iommu_mr) {
  g_free(iommu_mr->translations);
  iommu_mr->translations = NULL;
  iommu_mr->num_translations = iommu_mr->cap_translations = 0;
}

void iovacheck_qemu_iommu_section(IOMMUMemoryRegion *iommu_mr,
                                  MemoryRegionSection *section) {
  memset(section, 0, sizeof(*section));
  section->mr = MEMORY_REGION(iommu_mr);
  section->size = int128_2_64();
  section->offset_within_region = 0;
  section->offset_within_address_space = 0;
  section->readonly = false;
}

/* Drops every translation overlapping [iova, last]. */
static void forget_translations(IOMMUMemoryRegion *iommu_mr, uint64_t iova,
                                uint64_t last) {
  size_t i, kept = 0;
  for (i = 0; i < iommu_mr->num_translations; i++) {
    const IOMMUTLBEntry *e = &iommu_mr->translations[i];
    if (e->iova <= last && iova <= e->iova + e->addr_mask) continue;
    iommu_mr->translations[kept++] = *e;
  }
  iommu_mr->num_translations = kept;
}

void iovacheck_qemu_iommu_map(IOMMUMemoryRegion *iommu_mr, uint64_t iova,
                              uint64_t size, uint64_t hva, int perm) {
  IOMMUTLBEvent event;
  size_t at;
  memset(&event, 0, sizeof(event));
  event.type = IOMMU_NOTIFIER_MAP;
  event.entry.target_as = &address_space_memory;
  event.entry.iova = iova;
  event.entry.translated_addr = hva;
  event.entry.addr_mask = size - 1;
  event.entry.perm = (IOMMUAccessFlags)perm;

  forget_translations(iommu_mr, iova, iova + size - 1);
  if (iommu_mr->num_translations == iommu_mr->cap_translations) {
    iommu_mr->cap_translations =
        iommu_mr->cap_translations ? 2 * iommu_mr->cap_translations : 16;
    iommu_mr->translations = g_renew(IOMMUTLBEntry, iommu_mr->translations,
                                     iommu_mr->cap_translations);
  }
  for (at = 0; at < iommu_mr->num_translations &&
               iommu_mr->translations[at].iova < iova;
       at++) {
  }
  memmove(&iommu_mr->translations[at + 1], &iommu_mr->translations[at],
          (iommu_mr->num_translations - at) * sizeof(IOMMUTLBEntry));
  iommu_mr->translations[at] = event.entry;
  iommu_mr->num_translations++;

  memory_region_notify_iommu(iommu_mr, 0, event);
}

void iovacheck_qemu_iommu_unmap(IOMMUMemoryRegion *iommu_mr, uint64_t iova,
                                uint64_t last) {
  IOMMUTLBEvent event;
  memset(&event, 0, sizeof(event));
  event.type = IOMMU_NOTIFIER_UNMAP;
  event.entry.target_as = &address_space_memory;
  event.entry.iova = iova;
  event.entry.translated_addr = 0;
  event.entry.addr_mask = last - iova;
  event.entry.perm = IOMMU_NONE;

  forget_translations(iommu_mr, iova, last);
  memory_region_notify_iommu(iommu_mr, 0, event);
}
