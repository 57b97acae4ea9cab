/*
 * iovacheck's plug-in boundary: a translator written in C (QEMU's own
 * vhost-vdpa code, a driver author's translator) as a shared object.
 *
 * The table below mirrors translator/translator.h. iovacheck drives it with
 * the events QEMU's memory listener, shadow virtqueues and vIOMMU notifier
 * see; the plug-in talks to the device only through `iovacheck_host`, whose
 * `device_write` behaves like write() on a vhost-vdpa file descriptor and
 * takes the kernel's own uAPI message (`struct vhost_msg_v2`, or the v1
 * `struct vhost_msg`, from <linux/vhost_types.h>).
 *
 * A plug-in exports one symbol, IOVACHECK_PLUGIN_ENTRY_SYMBOL, a function
 * returning a pointer to a static `iovacheck_plugin` whose `abi_version` is
 * IOVACHECK_PLUGIN_ABI_VERSION. iovacheck refuses any other version.
 *
 * Plug-ins run in a child process of iovacheck's: a crash, abort(), exit()
 * or hang inside one becomes a verdict, never a dead run. They are called
 * from one thread at a time and need not be thread-safe; one process may hold
 * several instances (create() is called once per instance).
 *
 * Conventions: every `int` result is 0 on success or a positive errno value.
 * Addresses and sizes are uint64_t; ranges are [start, start + size) unless
 * named `last`, which is inclusive. C89-clean apart from <stdint.h>.
 */
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_IOVACHECK_PLUGIN_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_IOVACHECK_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any change to the structures or the table below. */
#define IOVACHECK_PLUGIN_ABI_VERSION 1

/* The one symbol a plug-in exports, and its type. */
#define IOVACHECK_PLUGIN_ENTRY_SYMBOL "iovacheck_plugin_entry"

/* VHOST_BACKEND_F_* bit numbers, as in <linux/vhost_types.h>. */
#define IOVACHECK_F_IOTLB_MSG_V2 1
#define IOVACHECK_F_IOTLB_BATCH 2
#define IOVACHECK_F_IOTLB_ASID 3
#define IOVACHECK_F_IOTLB_PERSIST 8

/* How the parent driver takes mappings (information only: the device is
 * iovacheck's, the plug-in just writes messages). */
#define IOVACHECK_DEVICE_DMA_MAP 0 /* incremental map/unmap per message */
#define IOVACHECK_DEVICE_SET_MAP 1 /* the whole table, at BATCH_END */

/* What VHOST_VDPA_GET_IOVA_RANGE, VHOST_GET_BACKEND_FEATURES and the host
 * told QEMU when the device was opened. */
typedef struct iovacheck_device_config {
  uint64_t iova_first;       /* first usable IOVA */
  uint64_t iova_last;        /* last usable IOVA (inclusive) */
  uint64_t host_page_size;   /* qemu_real_host_page_size() */
  uint64_t target_page_size; /* qemu_target_page_size() */
  uint64_t backend_features; /* acked VHOST_BACKEND_F_* bits (1 << bit) */
  uint32_t num_address_spaces;
  uint32_t device_kind; /* IOVACHECK_DEVICE_* */
  /* Nonzero: the device sits behind a guest IOMMU (vIOMMU). Guest memory is
   * then reached only through iommu_map/iommu_unmap, never region_add. */
  uint32_t viommu;
  uint32_t reserved;
} iovacheck_device_config;

/* Services iovacheck lends a plug-in instance. */
typedef struct iovacheck_host {
  void *ctx; /* passed back to every callback */
  /* write(2) of `len` bytes at `buf` on the vhost-vdpa fd: `buf` holds one
   * struct vhost_msg_v2 (len == sizeof(struct vhost_msg_v2)) or one
   * struct vhost_msg. Returns `len` when the kernel accepted the message,
   * or -errno as write() would set it: EFAULT for any error of the IOTLB
   * handler (EEXIST, out of range, ...), EINVAL for a malformed write or an
   * UPDATE of size 0, as Linux's vhost_chr_write_iter() does; EINTR, which
   * the kernel never returns here, only for a plug-in that sets
   * IOVACHECK_PLUGIN_F_RETRIES_EINTR. Never blocks. */
  long (*device_write)(void *ctx, const void *buf, size_t len);
  /* One line of the plug-in's log (QEMU's error_report, trace points,
   * guest errors), shown with a failure. `line` has no trailing newline. */
  void (*log)(void *ctx, const char *line);
} iovacheck_host;

/* A memory section as the memory listener's region_add/region_del receive
 * it: offset_within_address_space (gpa), size, the host address of its first
 * byte (hva; its offset in the page stands for offset_within_region's), and
 * whether it is read-only. `ram` is 0 for MMIO, protected and RAM-device
 * regions, which the listener must skip. */
typedef struct iovacheck_section {
  uint64_t gpa;
  uint64_t size;
  uint64_t hva;
  uint32_t readonly;
  uint32_t ram;
} iovacheck_section;

/* One element of a guest buffer. Guest memory carries its GPA (and the HVA
 * QEMU mapped it at); host-only memory (a CVQ shadow buffer) only an HVA. */
typedef struct iovacheck_iovec {
  uint64_t gpa;
  uint64_t hva;
  uint64_t len;
  uint32_t has_gpa;
  uint32_t device_writes; /* the device writes this element */
} iovacheck_iovec;

/* An IOVA range [iova, iova + len) a translator holds allocated. */
typedef struct iovacheck_allocation {
  uint64_t iova;
  uint64_t len;
} iovacheck_allocation;

typedef struct iovacheck_plugin {
  /* IOVACHECK_PLUGIN_ABI_VERSION. */
  uint32_t abi_version;
  /* sizeof(iovacheck_plugin) as the plug-in was compiled. */
  uint32_t struct_size;
  /* A short name for reports ("qemu-10.0", "my-driver"). */
  const char *name;

  /* A translator for a freshly opened device. `host` stays valid until
   * destroy(). Returns an opaque instance, or NULL (iovacheck then reports
   * the plug-in as broken). Neither pointer argument is kept beyond the call
   * except `host`'s contents, which the plug-in may copy. */
  void *(*create)(const iovacheck_device_config *config,
                  const iovacheck_host *host);
  /* Releases everything create() and later calls allocated. */
  void (*destroy)(void *instance);

  /* A memory listener transaction (memory_listener begin/commit). Commit
   * ends an IOTLB batch if the transaction began one. */
  void (*listener_begin)(void *instance);
  void (*listener_commit)(void *instance);

  /* region_add/region_del of one section, inside a transaction. The plug-in
   * applies the listener's skip and alignment rules itself. 0 when the
   * section was mapped, unmapped or rightly skipped; an errno when it wanted
   * to and could not (it must then hold no allocation for the section). */
  int (*region_add)(void *instance, const iovacheck_section *section);
  int (*region_del)(void *instance, const iovacheck_section *section);

  /* Host-only memory (SVQ vring areas, CVQ buffers) in address space
   * `asid`, outside transactions. `hva` is page aligned and the mapping
   * covers `size` rounded up to the host page. perm is VHOST_ACCESS_RO or
   * VHOST_ACCESS_RW. unmap names a buffer map_host_buffer mapped. */
  int (*map_host_buffer)(void *instance, uint64_t hva, uint64_t size,
                         uint8_t perm, uint32_t asid);
  int (*unmap_host_buffer)(void *instance, uint64_t hva, uint64_t size,
                           uint32_t asid);

  /* Translates the `count` elements of one guest buffer (count >= 1, each
   * len >= 1) to IOVAs, writing iovas[0..count). 0 on success; EFAULT (a
   * guest error, never an assertion) when an element is unmapped or runs
   * past the end of its mapping, and then iovas[] is unspecified. */
  int (*translate_buffer)(void *instance, const iovacheck_iovec *iovecs,
                          size_t count, uint64_t *iovas);

  /* Every IOVA range the translator holds allocated, for the leak check.
   * Writes at most `capacity` entries to `out` (which may be NULL when
   * capacity is 0) and returns how many there are in all; iovacheck calls
   * again with a larger buffer when that exceeds capacity. Mappings at IOVAs
   * nobody allocates (IOVA = GPA without shadow data, guest IOVAs under a
   * vIOMMU) are not allocations. */
  size_t (*allocations)(void *instance, iovacheck_allocation *out,
                        size_t capacity);

  /* The listener is registered again with (nonzero) or without (0) shadow
   * virtqueues; called only while no guest section is mapped. With shadow
   * data the translator allocates IOVAs for guest memory; without, guest
   * memory is mapped at IOVA = GPA. */
  void (*set_shadow_data)(void *instance, int enabled);

  /* The device was reset (VHOST_VDPA_SET_STATUS 0), possibly inside a
   * listener transaction. Without IOTLB_PERSIST the parent driver lost its
   * mappings while the kernel's table kept them. 0, or the errno the
   * translator could not recover from. */
  int (*device_reset)(void *instance);

  /* vIOMMU notifier: MAP of guest IOVA range [giova, giova + size) onto the
   * host memory at `hva`, with the permission as QEMU's memory core resolves
   * it (the guest's, read-only for read-only memory; a replay may send a MAP
   * the device already holds),
   * and UNMAP of the closed range [giova, last] ([0, 2^64 - 1] is the whole
   * space, as VT-d's replay sends). */
  int (*iommu_map)(void *instance, uint64_t giova, uint64_t size, uint64_t hva,
                   uint8_t perm);
  int (*iommu_unmap)(void *instance, uint64_t giova, uint64_t last);

  /* The VHOST_BACKEND_F_* bits (1 << bit) this translator acks when the
   * device offers them, as QEMU's vhost_vdpa_set_backend_cap() does (7.2:
   * MSG_V2 and BATCH; 10.0 also ASID). iovacheck only runs it on devices
   * whose acked features are within this set, the way the negotiation would
   * leave them; iovacheck's own translators ack every bit. */
  uint64_t acked_backend_features;

  /* IOVACHECK_PLUGIN_F_* bits. */
  uint64_t flags;
} iovacheck_plugin;

/* flags: the translator writes a message again when device_write failed
 * with EINTR having done nothing. The kernel never does that; iovacheck
 * injects it (a fault site of its simulator) only into translators that set
 * this bit. */
#define IOVACHECK_PLUGIN_F_RETRIES_EINTR (1ULL << 0)

/* The type of the exported entry point. */
typedef const iovacheck_plugin *(*iovacheck_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOVACHECK_TRANSLATOR_PLUGIN_IOVACHECK_PLUGIN_H_ */
