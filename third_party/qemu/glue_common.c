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
  current = rt;
  rt->first_write_errno = 0;
  rt->first_update_errno = 0;
  rt->first_invalidate_errno = 0;
  rt->reported_map_failure = 0;
  rt->iova_tree_error = 0;
}

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
  if (current && current->host.log) {
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
