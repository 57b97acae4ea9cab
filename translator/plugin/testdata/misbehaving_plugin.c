/*
 * A plug-in that fails the way QEMU's code can: region_add of a section at
 * one of the GPAs below crashes, aborts, exits or hangs. Any other call does
 * nothing and succeeds, which is wrong but harmless for the isolation tests.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "translator/plugin/iovacheck_plugin.h"

#define GPA_NULL_DEREFERENCE 0x10000000u
#define GPA_ABORT 0x20000000u
#define GPA_EXIT 0x30000000u
#define GPA_SPIN 0x40000000u
#define GPA_SLEEP 0x50000000u
#define GPA_LOG_THEN_ABORT 0x60000000u

static int instance;
static iovacheck_host saved_host;

static void *create(const iovacheck_device_config *config,
                    const iovacheck_host *host) {
  (void)config;
  saved_host = *host;
  return &instance;
}

static void destroy(void *t) { (void)t; }
static void nothing(void *t) { (void)t; }

/* The null dereference is the point: under --config=sanitize UBSan would
 * report it and exit instead of letting the signal kill the child. */
__attribute__((no_sanitize("undefined")))
static int region_add(void *t, const iovacheck_section *s) {
  volatile int *volatile null_pointer = 0;
  (void)t;
  switch (s->gpa) {
    case GPA_NULL_DEREFERENCE:
      return *null_pointer;
    case GPA_ABORT:
      abort();
    case GPA_EXIT:
      exit(3);
    case GPA_SPIN:
      for (;;) {
      }
    case GPA_SLEEP:
      for (;;) pause();
    case GPA_LOG_THEN_ABORT:
      saved_host.log(saved_host.ctx, "assertion failed: about to abort");
      abort();
  }
  return 0;
}

static int section_call(void *t, const iovacheck_section *s) {
  (void)t;
  (void)s;
  return 0;
}

static int map_host(void *t, uint64_t hva, uint64_t size, uint8_t perm,
                    uint32_t asid) {
  (void)t, (void)hva, (void)size, (void)perm, (void)asid;
  return 0;
}

static int unmap_host(void *t, uint64_t hva, uint64_t size, uint32_t asid) {
  (void)t, (void)hva, (void)size, (void)asid;
  return 0;
}

static int translate(void *t, const iovacheck_iovec *v, size_t n,
                     uint64_t *iovas) {
  (void)t, (void)v, (void)n, (void)iovas;
  return 14; /* EFAULT */
}

static size_t allocations(void *t, iovacheck_allocation *out, size_t cap) {
  (void)t, (void)out, (void)cap;
  return 0;
}

static void set_shadow(void *t, int on) { (void)t, (void)on; }
static int reset(void *t) { (void)t; return 0; }

static int iommu_map(void *t, uint64_t giova, uint64_t size, uint64_t hva,
                     uint8_t perm) {
  (void)t, (void)giova, (void)size, (void)hva, (void)perm;
  return 0;
}

static int iommu_unmap(void *t, uint64_t giova, uint64_t last) {
  (void)t, (void)giova, (void)last;
  return 0;
}

static const iovacheck_plugin table = {
    IOVACHECK_PLUGIN_ABI_VERSION,
    sizeof(iovacheck_plugin),
    "misbehaving",
    create,
    destroy,
    nothing,
    nothing,
    region_add,
    section_call,
    map_host,
    unmap_host,
    translate,
    allocations,
    set_shadow,
    reset,
    iommu_map,
    iommu_unmap,
};

const iovacheck_plugin *iovacheck_plugin_entry(void) { return &table; }
