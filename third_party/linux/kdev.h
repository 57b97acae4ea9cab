/*
 * kdev.h: a vhost-vdpa device file over a vdpa_sim parent, run from Linux's
 * own text (see BUILD.bazel for which functions and files). This C interface
 * is what iovacheck's C++ side (model/kernel_device.*) calls; one kdev is one
 * open /dev/vhost-vdpa-N of one process, after VHOST_SET_OWNER and
 * VHOST_SET_BACKEND_FEATURES.
 */
#ifndef IOVACHECK_THIRD_PARTY_LINUX_KDEV_H_
#define IOVACHECK_THIRD_PARTY_LINUX_KDEV_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kdev;

struct kdev_config {
	uint64_t backend_features; /* what userspace acks; the kernel keeps what it offers */
	int batch_mapping;         /* vdpa_sim's module parameter: 1 set_map, 0 dma_map */
	int use_va;                /* vdpa_sim's use_va (6.12); 6.1's vdpa_sim is PA only */
	uint32_t nas;              /* address spaces of the parent */
	int max_iotlb_entries;     /* the module parameters (vhost_vdpa's in 6.12, vdpa_sim's) */
	uint64_t memlock_limit;    /* RLIMIT_MEMLOCK in bytes; 0: unlimited */
};

/* The process memory map the device resolves user addresses in (VA mode:
 * find_vma; PA mode: pin_user_pages). Areas are disjoint, page aligned. */
struct kdev_vma {
	uint64_t start, end; /* [start, end) */
	int writable;        /* read-only memory cannot be pinned for write */
	int shared_file;     /* MAP_SHARED file or memfd (VA mode maps only these) */
};

/* NULL when the kernel refused (vdpasim_create failed). */
struct kdev *kdev_open(const struct kdev_config *config,
		       const struct kdev_vma *vmas, int nr_vmas);
/* vhost_vdpa_release: reset, unmap every address space, free. */
void kdev_close(struct kdev *d);

/* close(2) of the fd, then open(2) of the same vhost-vdpa device, with the
 * same owner, acking the same backend features: 0 or -errno. */
int kdev_reopen(struct kdev *d);

/* The backend features the kernel acked (the requested ones it offers). */
uint64_t kdev_acked_features(const struct kdev *d);

/* write(2) on the fd: bytes written, or -errno. */
long kdev_write(struct kdev *d, const void *buf, size_t len);

/* VHOST_VDPA_SET_STATUS: 0 or -errno. */
int kdev_set_status(struct kdev *d, uint8_t status);

/* The parent device reads (write == 0) or writes [iova, iova + len) of
 * address space asid through its IOTLB, as vringh does for a descriptor.
 * Each contiguous piece goes to `segment` (in user virtual addresses in VA
 * mode, in "physical" addresses = the pinned page's address in PA mode).
 * Returns the bytes translated (>= 0) or -errno. */
typedef void (*kdev_segment_fn)(void *ctx, uint64_t addr, uint64_t len);
long kdev_dma(struct kdev *d, uint32_t asid, uint64_t iova, uint64_t len,
	      int write, kdev_segment_fn segment, void *ctx);

/* Walks an address space's table in ascending order: the vhost side's
 * (which = 0: what decides EEXIST) or the parent's (which = 1: what the
 * device DMAs through). Returns -EINVAL when it does not exist. */
typedef void (*kdev_entry_fn)(void *ctx, uint64_t start, uint64_t last,
			      uint64_t addr, uint32_t perm);
int kdev_walk(const struct kdev *d, int which, uint32_t asid, kdev_entry_fn fn,
	      void *ctx);

/* Whether the parent's table of asid is its default mapping (6.12's
 * vdpa_sim: iommu_pt, the identity passthrough), not one userspace made. */
int kdev_parent_default(const struct kdev *d, uint32_t asid);

int kdev_in_batch(const struct kdev *d);
uint32_t kdev_batch_asid(const struct kdev *d);
uint64_t kdev_pinned_pages(const struct kdev *d);

/* Fault injection: the Nth kernel allocation from now fails (0: none). */
void kdev_fail_allocation(long nth);

/* For tests of the isolation around the kernel's code: the next kernel
 * allocation dereferences NULL (how = 1) or never returns (how = 2), as a
 * bug in the kernel's text would. 0 undoes it. */
void kdev_misbehave_next_allocation(int how);

#ifdef __cplusplus
}
#endif

#endif /* IOVACHECK_THIRD_PARTY_LINUX_KDEV_H_ */
