/*
 * An example iovacheck plug-in, in plain C: a vhost-vdpa IOVA translator
 * that keeps every mapping in one array and looks things up by scanning it.
 * Slow on purpose and small on purpose: it shows what a translator must do
 * to pass iovacheck's checks, nothing more. docs/plugins.md walks through it.
 *
 * What it does, as QEMU's vhost-vdpa frontend does:
 *  - guest memory (region_add/region_del) is looked up by GPA, never by HVA,
 *    so two sections sharing host memory (aliases) never mistake each other;
 *  - with shadow data, IOVAs are allocated first fit from the lowest address
 *    at or above max(iova_first, page); without, guest memory sits at
 *    IOVA = GPA;
 *  - listener maps and unmaps are batched (BATCH_BEGIN once per transaction,
 *    BATCH_END at commit);
 *  - after a device reset every live mapping is sent again, since it acks no
 *    IOTLB_PERSIST and the parent driver forgot them.
 * It acks MSG_V2 and BATCH only (no address spaces: everything is ASID 0)
 * and does not support a vIOMMU.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define VIRTIO_RING_NO_LEGACY
#include <linux/vhost_types.h>

#include "translator/plugin/iovacheck_plugin.h"

enum kind { GUEST, HOST };

struct mapping {
  enum kind kind;
  uint64_t key;  /* GPA (guest) or HVA (host) of the first byte */
  uint64_t len;
  uint64_t hva;
  uint64_t iova;
  uint8_t perm;  /* VHOST_ACCESS_RO or VHOST_ACCESS_RW */
  int allocated; /* its IOVA came from the allocator */
};

struct translator {
  iovacheck_device_config config;
  iovacheck_host host;
  int shadow_data;
  int in_transaction;
  int batch_begun;
  struct mapping *maps;
  size_t count, capacity;
};

static uint64_t page_size(const struct translator *t) {
  return t->config.host_page_size;
}

/* One message to the device; 0 or the errno write() gave. */
static int send_msg(struct translator *t, uint8_t type, uint64_t iova,
                    uint64_t size, uint64_t uaddr, uint8_t perm) {
  struct vhost_msg_v2 msg;
  long r;
  memset(&msg, 0, sizeof(msg));
  msg.type = VHOST_IOTLB_MSG_V2;
  msg.iotlb.iova = iova;
  msg.iotlb.size = size;
  msg.iotlb.uaddr = uaddr;
  msg.iotlb.perm = perm;
  msg.iotlb.type = type;
  r = t->host.device_write(t->host.ctx, &msg, sizeof(msg));
  return r == (long)sizeof(msg) ? 0 : (r < 0 ? (int)-r : EIO);
}

static int has_batch(const struct translator *t) {
  return (t->config.backend_features >> IOVACHECK_F_IOTLB_BATCH) & 1;
}

/* The first listener map or unmap of a transaction begins the batch. */
static void begin_batch_once(struct translator *t) {
  if (t->in_transaction && has_batch(t) && !t->batch_begun) {
    send_msg(t, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0, 0);
    t->batch_begun = 1;
  }
}

/* First fit: the lowest IOVA >= max(iova_first, page) where `len` bytes
 * overlap no allocated mapping and end by iova_last. 0 when none. */
static uint64_t allocate(const struct translator *t, uint64_t len) {
  uint64_t first = t->config.iova_first > page_size(t) ? t->config.iova_first
                                                        : page_size(t);
  uint64_t candidate = first;
  int moved = 1;
  while (moved) {
    size_t i;
    moved = 0;
    if (candidate + len - 1 < candidate || candidate + len - 1 > t->config.iova_last) {
      return 0;
    }
    for (i = 0; i < t->count; i++) {
      const struct mapping *m = &t->maps[i];
      if (m->allocated && m->iova <= candidate + len - 1 &&
          candidate <= m->iova + m->len - 1) {
        candidate = m->iova + m->len;
        if (candidate == 0) return 0; /* wrapped past 2^64 */
        moved = 1;
      }
    }
  }
  return candidate;
}

static int add_mapping(struct translator *t, struct mapping m) {
  if (t->count == t->capacity) {
    size_t n = t->capacity ? 2 * t->capacity : 16;
    struct mapping *grown = realloc(t->maps, n * sizeof(*grown));
    if (grown == NULL) return ENOMEM;
    t->maps = grown;
    t->capacity = n;
  }
  t->maps[t->count++] = m;
  return 0;
}

/* The mapping of `kind` whose key range holds [key, key + len), or NULL. */
static struct mapping *find(struct translator *t, enum kind kind, uint64_t key,
                            uint64_t len) {
  size_t i;
  for (i = 0; i < t->count; i++) {
    struct mapping *m = &t->maps[i];
    if (m->kind == kind && key >= m->key && key - m->key < m->len &&
        len <= m->len - (key - m->key)) {
      return m;
    }
  }
  return NULL;
}

static void remove_mapping(struct translator *t, struct mapping *m) {
  *m = t->maps[--t->count];
}

/* Maps `m` (iova filled in unless allocated here) and records it. */
static int map(struct translator *t, struct mapping m, int listener) {
  int r;
  if (m.allocated) {
    m.iova = allocate(t, m.len);
    if (m.iova == 0) return ENOMEM;
  }
  if (listener) begin_batch_once(t);
  r = send_msg(t, VHOST_IOTLB_UPDATE, m.iova, m.len, m.hva, m.perm);
  if (r != 0) return r;
  return add_mapping(t, m);
}

static int unmap(struct translator *t, struct mapping *m, int listener) {
  int r;
  if (listener) begin_batch_once(t);
  r = send_msg(t, VHOST_IOTLB_INVALIDATE, m->iova, m->len, 0, 0);
  remove_mapping(t, m);
  return r;
}

/* The listener's rules (QEMU's vhost_vdpa_listener_skipped_section and the
 * page rounding of region_add): 0 when the section is skipped, else 1 with
 * the page-rounded guest range in *gpa, *len and its host address in *hva. */
static int listener_range(const struct translator *t, const iovacheck_section *s,
                          uint64_t *gpa, uint64_t *len, uint64_t *hva) {
  /* QEMU's listener works in the guest's pages (qemu_target_page_size()). */
  uint64_t page = t->config.target_page_size, start, end;
  if (!s->ram || s->gpa < t->config.iova_first) return 0;
  /* A section ending at 2^64: QEMU compares the exclusive end (an Int128,
   * 2^64) with the inclusive last, which it always exceeds, so the section
   * is skipped. (Rounding the wrapped end to the last page instead mapped a
   * page short of it: found by the properties' sections at 2^64.) */
  if (s->gpa + s->size < s->gpa) return 0;
  /* The end, rounded down to the page. */
  end = (s->gpa + s->size) & ~(page - 1);
  if (end > t->config.iova_last) return 0;
  if ((s->gpa & (page - 1)) != (s->hva & (page - 1))) return 0; /* unaligned */
  start = (s->gpa + page - 1) & ~(page - 1);
  if (start < s->gpa || start >= end) return 0; /* nothing left */
  *gpa = start;
  *len = end - start;
  *hva = s->hva + (start - s->gpa);
  return 1;
}

static void *create(const iovacheck_device_config *config,
                    const iovacheck_host *host) {
  struct translator *t = calloc(1, sizeof(*t));
  if (t == NULL) return NULL;
  t->config = *config;
  t->host = *host;
  t->shadow_data = 1;
  return t;
}

static void destroy(void *instance) {
  struct translator *t = instance;
  free(t->maps);
  free(t);
}

static void listener_begin(void *instance) {
  struct translator *t = instance;
  t->in_transaction = 1;
  t->batch_begun = 0;
}

static void listener_commit(void *instance) {
  struct translator *t = instance;
  if (t->batch_begun) send_msg(t, VHOST_IOTLB_BATCH_END, 0, 0, 0, 0);
  t->in_transaction = 0;
  t->batch_begun = 0;
}

static int region_add(void *instance, const iovacheck_section *s) {
  struct translator *t = instance;
  struct mapping m;
  if (!listener_range(t, s, &m.key, &m.len, &m.hva)) return 0;
  m.kind = GUEST;
  m.perm = s->readonly ? VHOST_ACCESS_RO : VHOST_ACCESS_RW;
  m.allocated = t->shadow_data;
  m.iova = m.key; /* IOVA = GPA without shadow data */
  return map(t, m, 1);
}

static int region_del(void *instance, const iovacheck_section *s) {
  struct translator *t = instance;
  uint64_t gpa, len, hva;
  struct mapping *m;
  if (!listener_range(t, s, &gpa, &len, &hva)) return 0;
  m = find(t, GUEST, gpa, len);
  if (m == NULL) return 0; /* never mapped (its map failed): nothing to undo */
  return unmap(t, m, 1);
}

static int map_host_buffer(void *instance, uint64_t hva, uint64_t size,
                           uint8_t perm, uint32_t asid) {
  struct translator *t = instance;
  struct mapping m;
  if (asid != 0) return EINVAL; /* acks no IOTLB_ASID */
  m.kind = HOST;
  m.key = m.hva = hva;
  m.len = (size + page_size(t) - 1) & ~(page_size(t) - 1);
  if (m.len < size) return EINVAL;
  m.perm = perm;
  m.allocated = 1;
  return map(t, m, 0);
}

static int unmap_host_buffer(void *instance, uint64_t hva, uint64_t size,
                             uint32_t asid) {
  struct translator *t = instance;
  struct mapping *m = find(t, HOST, hva, 1);
  (void)size;
  (void)asid;
  if (m == NULL) return 0; /* its map failed: nothing to undo */
  return unmap(t, m, 0);
}

static int translate_buffer(void *instance, const iovacheck_iovec *iovecs,
                            size_t count, uint64_t *iovas) {
  struct translator *t = instance;
  size_t i;
  for (i = 0; i < count; i++) {
    const iovacheck_iovec *v = &iovecs[i];
    uint64_t key = v->has_gpa ? v->gpa : v->hva;
    const struct mapping *m = find(t, v->has_gpa ? GUEST : HOST, key, v->len);
    if (m == NULL) return EFAULT; /* a guest error, never an assertion */
    iovas[i] = m->iova + (key - m->key);
  }
  return 0;
}

static size_t allocations(void *instance, iovacheck_allocation *out,
                          size_t capacity) {
  struct translator *t = instance;
  size_t i, n = 0;
  for (i = 0; i < t->count; i++) {
    if (!t->maps[i].allocated) continue;
    if (n < capacity) {
      out[n].iova = t->maps[i].iova;
      out[n].len = t->maps[i].len;
    }
    n++;
  }
  return n;
}

static void set_shadow_data(void *instance, int enabled) {
  struct translator *t = instance;
  t->shadow_data = enabled;
}

static int device_reset(void *instance) {
  struct translator *t = instance;
  size_t i;
  int first_error = 0;
  /* The kernel's table kept every entry while the parent driver lost them:
   * drop each from the kernel's table and send it again. A reset inside a
   * listener transaction ended its batch. */
  t->batch_begun = 0;
  for (i = 0; i < t->count; i++) {
    const struct mapping *m = &t->maps[i];
    int r = send_msg(t, VHOST_IOTLB_INVALIDATE, m->iova, m->len, 0, 0);
    if (r == 0) r = send_msg(t, VHOST_IOTLB_UPDATE, m->iova, m->len, m->hva, m->perm);
    if (r != 0 && first_error == 0) first_error = r;
  }
  return first_error;
}

static int iommu_map(void *instance, uint64_t giova, uint64_t size,
                     uint64_t hva, uint8_t perm) {
  (void)instance, (void)giova, (void)size, (void)hva, (void)perm;
  return ENOTSUP;
}

static int iommu_unmap(void *instance, uint64_t giova, uint64_t last) {
  (void)instance, (void)giova, (void)last;
  return ENOTSUP;
}

static const iovacheck_plugin table = {
    IOVACHECK_PLUGIN_ABI_VERSION,
    sizeof(iovacheck_plugin),
    "list-translator",
    create,
    destroy,
    listener_begin,
    listener_commit,
    region_add,
    region_del,
    map_host_buffer,
    unmap_host_buffer,
    translate_buffer,
    allocations,
    set_shadow_data,
    device_reset,
    iommu_map,
    iommu_unmap,
    (1ULL << IOVACHECK_F_IOTLB_MSG_V2) | (1ULL << IOVACHECK_F_IOTLB_BATCH),
};

__attribute__((visibility("default"))) const iovacheck_plugin *
iovacheck_plugin_entry(void) {
  return &table;
}
