/*
 * The vhost-vdpa character device: drivers/vhost/vhost.c's write path
 * (vhost_chr_write_iter) and drivers/vhost/vdpa.c's address spaces, reset,
 * status and IOTLB message handling with VA and PA map/unmap, cut verbatim.
 * Below the cuts is our glue: kdev.h's functions, each doing what the named
 * kernel entry point does on the way to the cut code.
 */
#include "third_party/linux/kdev.h"
#include "third_party/linux/kglue.h"

#include <stdlib.h>

/* ---- what the cut functions reach that plays no part in translation ---- */
/* vhost_vdpa_set_status's interrupt bypass set-up (vdpa.c, irq bypass). */
struct vhost_vdpa;
static void vhost_vdpa_setup_vq_irq(struct vhost_vdpa *v, u16 qid) { (void)v; (void)qid; }
static void vhost_vdpa_unsetup_vq_irq(struct vhost_vdpa *v, u16 qid) { (void)v; (void)qid; }
/* vhost_vdpa_cleanup's platform-IOMMU domain and vhost_dev teardown: parents
 * with their own IOMMU (vdpa_sim) have no domain; the vhost_dev holds no
 * IOTLB state of vhost-vdpa's. */
static void vhost_vdpa_free_domain(struct vhost_vdpa *v) { (void)v; }
static inline void vhost_dev_cleanup(struct vhost_dev *dev) { (void)dev; }
static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}
#if IOVACHECK_LINUX_VERSION == 601
/* 6.1's pin_user_pages takes a vmas argument (mm/gup.c). */
#define pin_user_pages(start, n, flags, pages, vmas) \
	kshim_pin_user_pages_61(start, n, flags, pages, vmas)
#endif

#include IOVACHECK_LINUX_CUT_VHOST_H
#include IOVACHECK_LINUX_CUT_VHOST
#include IOVACHECK_LINUX_CUT_VDPA_H
#include IOVACHECK_LINUX_CUT_VDPA_CORE
/* vdpa.c forward-declares this one before its first use too. */
static void vhost_vdpa_iotlb_unmap(struct vhost_vdpa *v,
				   struct vhost_iotlb *iotlb, u64 start,
				   u64 last, u32 asid);
#include IOVACHECK_LINUX_CUT_VDPA

/* ---- kdev.h ---- */
struct kdev {
	struct vhost_vdpa v;
	struct vhost_virtqueue vq;
	struct mm_struct mm;
	struct task_struct task;
	u64 acked_features;
};

/* Every call into kernel text runs as the device's owner process. */
static void enter(const struct kdev *d)
{
	kshim_current = (struct task_struct *)&d->task;
}

/* vhost_vdpa_open, VHOST_SET_OWNER and VHOST_SET_BACKEND_FEATURES on the
 * parent d already has. 0, or -ENOMEM. */
static int open_fd(struct kdev *d, uint64_t wanted_features)
{
	u64 offered;

	/* vhost_vdpa_open: reset, then vhost_dev_init with the IOTLB message
	 * handler, then the IOVA range. */
	vhost_vdpa_reset(&d->v);
	/* vhost_vdpa_cleanup frees this array, as open allocated it. */
	d->v.vdev.vqs = kmalloc_array(1, sizeof(*d->v.vdev.vqs), GFP_KERNEL);
	if (!d->v.vdev.vqs)
		return -ENOMEM;
	d->v.vdev.vqs[0] = &d->vq;
	d->v.vdev.nvqs = 1;
	d->v.vdev.msg_handler = vhost_vdpa_process_iotlb_msg;
	d->v.vdev.mm = NULL;
	vhost_vdpa_set_iova_range(&d->v);

	/* VHOST_SET_OWNER (vhost_dev_set_owner): the caller's mm. */
	d->v.vdev.mm = current->mm;

	/* VHOST_GET_BACKEND_FEATURES then VHOST_SET_BACKEND_FEATURES with what
	 * both sides have, as QEMU acks them: VHOST_VDPA_BACKEND_FEATURES (vdpa.c,
	 * the enum at the top) and, from 6.7 on, IOTLB_PERSIST for a parent that
	 * can restore its mapping (vhost_vdpa_has_persistent_map: reset_map). */
	offered = (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2) |
		  (1ULL << VHOST_BACKEND_F_IOTLB_BATCH) |
		  (1ULL << VHOST_BACKEND_F_IOTLB_ASID);
#if IOVACHECK_LINUX_VERSION != 601
	if (vhost_vdpa_has_persistent_map(&d->v))
		offered |= 1ULL << VHOST_BACKEND_F_IOTLB_PERSIST;
#endif
	d->acked_features = wanted_features & offered;
	d->vq.acked_backend_features = d->acked_features;
	return 0;
}

/* vhost_vdpa_release, as far as the IOTLB is concerned: reset, then every
 * address space unmapped and removed (the parent's reset_map restores its
 * default), the vhost_dev cleaned up. The parent stays. */
static void release_fd(struct kdev *d)
{
	vhost_vdpa_reset(&d->v);
	vhost_vdpa_cleanup(&d->v);
}

struct kdev *kdev_open(const struct kdev_config *config,
		       const struct kdev_vma *vmas, int nr_vmas)
{
	struct kdev *d;
	long err = 0;
	int i;

	if (nr_vmas < 0 || nr_vmas > KSHIM_MAX_VMAS)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->task.mm = &d->mm;
	d->mm.memlock_limit = config->memlock_limit;
	for (i = 0; i < nr_vmas; i++) {
		struct vm_area_struct *vma = &d->mm.vmas[i];

		vma->vm_start = vmas[i].start;
		vma->vm_end = vmas[i].end;
		vma->vm_flags = (vmas[i].writable ? VM_WRITE : 0) |
				(vmas[i].shared_file ? VM_SHARED : 0);
		vma->vm_file = vmas[i].shared_file ? &d->mm.files[i] : NULL;
		vma->vm_pgoff = vmas[i].start >> PAGE_SHIFT;
	}
	d->mm.nr_vmas = nr_vmas;
	enter(d);

	/* vhost_vdpa_probe: the parent, with its config ops. */
	d->v.vdpa = kglue_sim_create(config->nas, config->batch_mapping,
				     config->use_va, config->max_iotlb_entries,
				     &err);
	if (!d->v.vdpa) {
		free(d);
		return NULL;
	}
	d->v.nvqs = 1;
	d->v.vqs = &d->vq;
#if IOVACHECK_LINUX_VERSION != 601
	/* vhost_vdpa_probe also takes the module parameter; ours is per device. */
	max_iotlb_entries = config->max_iotlb_entries;
#endif

	if (open_fd(d, config->backend_features) != 0) {
		kglue_sim_free(d->v.vdpa);
		free(d);
		return NULL;
	}
	return d;
}


void kdev_close(struct kdev *d)
{
	if (!d)
		return;
	enter(d);
	release_fd(d);
	kglue_sim_free(d->v.vdpa);
	free(d);
}

int kdev_reopen(struct kdev *d)
{
	enter(d);
	release_fd(d);
	return open_fd(d, d->acked_features);
}

uint64_t kdev_acked_features(const struct kdev *d) { return d->acked_features; }

long kdev_write(struct kdev *d, const void *buf, size_t len)
{
	struct iov_iter from;

	enter(d);
	memset(&from, 0, sizeof(from));
	from.kind = 0;
	from.buf = buf;
	from.count = len;
	/* vhost_vdpa_chr_write_iter */
	return vhost_chr_write_iter(&d->v.vdev, &from);
}

int kdev_set_status(struct kdev *d, uint8_t status)
{
	enter(d);
	return (int)vhost_vdpa_set_status(&d->v, &status);
}

long kdev_dma(struct kdev *d, uint32_t asid, uint64_t iova, uint64_t len,
	      int write, kdev_segment_fn segment, void *ctx)
{
	long r;

	enter(d);
	kglue_set_dma_sink(segment, ctx);
	r = kglue_sim_dma(d->v.vdpa, asid, iova, len, write);
	kglue_set_dma_sink(NULL, NULL);
	return r;
}

static void walk(struct vhost_iotlb *iotlb, kdev_entry_fn fn, void *ctx)
{
	struct vhost_iotlb_map *map;

	for (map = vhost_iotlb_itree_first(iotlb, 0, U64_MAX); map;
	     map = vhost_iotlb_itree_next(map, 0, U64_MAX))
		fn(ctx, map->start, map->last, map->addr, map->perm);
}

int kdev_walk(const struct kdev *d, int which, uint32_t asid, kdev_entry_fn fn,
	      void *ctx)
{
	struct vhost_iotlb *iotlb;

	if (which == 0)
		iotlb = asid_to_iotlb((struct vhost_vdpa *)&d->v, asid);
	else
		iotlb = kglue_sim_iommu(d->v.vdpa, asid);
	if (!iotlb)
		return -EINVAL;
	walk(iotlb, fn, ctx);
	return 0;
}

int kdev_in_batch(const struct kdev *d) { return d->v.in_batch; }
uint32_t kdev_batch_asid(const struct kdev *d) { return d->v.batch_asid; }
uint64_t kdev_pinned_pages(const struct kdev *d) { return (uint64_t)d->mm.pinned_pages; }

int kdev_parent_default(const struct kdev *d, uint32_t asid)
{
	return kglue_sim_parent_default(d->v.vdpa, asid);
}
