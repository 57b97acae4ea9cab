/*
 * ktypes.h: the kernel structures the cut functions share across our
 * translation units, with only the members those functions touch. Each names
 * the header it stands in for; members keep the kernel's names and types so
 * the kernel text compiles unchanged.
 */
#ifndef IOVACHECK_LINUX_SHIM_KTYPES_H_
#define IOVACHECK_LINUX_SHIM_KTYPES_H_

#include "third_party/linux/shim/kshim.h"

#include <linux/list.h>          /* verbatim */
#include <linux/vhost_iotlb.h>   /* verbatim: struct vhost_iotlb(_map) */
#include <linux/vhost_types.h>   /* verbatim uapi: vhost_iotlb_msg, VHOST_* */

/* ---- include/linux/fs.h, file.h ---- */
struct file {
	long f_count;
};
struct inode;
struct kiocb;
static inline struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}
static inline void fput(struct file *f) { f->f_count--; }

/* ---- include/linux/mm_types.h: the simulated process memory map ---- */
#define VM_SHARED 0x00000008UL
#define VM_WRITE 0x00000002UL
#define VM_IO 0x00004000UL
#define VM_PFNMAP 0x00000400UL
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
};
/* At most this many areas: the shim's process is small and fixed. */
#define KSHIM_MAX_VMAS 64
struct mm_struct {
	atomic64_t pinned_vm;
	int nr_vmas;
	struct vm_area_struct vmas[KSHIM_MAX_VMAS]; /* sorted, disjoint */
	struct file files[KSHIM_MAX_VMAS];
	unsigned long memlock_limit;                /* RLIMIT_MEMLOCK, bytes */
	long pinned_pages;                          /* pin_user_pages - unpin */
};
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* ---- include/linux/mm.h, mm_types.h: a page is its frame number ---- */
struct page {
	unsigned long pfn;
};
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
#define FOLL_WRITE 0x01u
#define FOLL_LONGTERM 0x100u
long pin_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long kshim_pin_user_pages_61(unsigned long start, unsigned long nr_pages,
			     unsigned int gup_flags, struct page **pages,
			     void *vmas);
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, unsigned long npages);
static inline void set_page_dirty_lock(struct page *page) { (void)page; }

/* ---- include/linux/uio.h, bvec.h: iov_iter over a byte buffer ---- */
struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};
#define ITER_SOURCE 1
#define ITER_DEST 0
struct iov_iter {
	int kind;            /* 0: a byte buffer; 1: iovecs; 2: bio_vecs */
	const u8 *buf;       /* kind 0 */
	size_t count;        /* bytes left */
	const struct iovec *iov;
	const struct bio_vec *bvec;
	unsigned long nr_segs;
};
size_t copy_from_iter(void *to, size_t bytes, struct iov_iter *i);
size_t copy_to_iter(const void *from, size_t bytes, struct iov_iter *i);
void iov_iter_advance(struct iov_iter *i, size_t bytes);
void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count);
void iov_iter_bvec(struct iov_iter *i, unsigned int direction,
		   const struct bio_vec *bvec, unsigned long nr_segs,
		   size_t count);
static inline void bvec_set_page(struct bio_vec *bv, struct page *page,
				 unsigned int len, unsigned int offset)
{
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = offset;
}

/* ---- device.h, cdev.h, completion.h, eventfd.h, iommu.h, kthread.h ---- */
struct device {
	u64 *dma_mask;
	u64 coherent_dma_mask;
};
struct cdev {
	int unused;
};
struct completion {
	int unused;
};
struct eventfd_ctx;
struct iommu_domain_geometry {
	u64 aperture_start;
	u64 aperture_end;
	bool force_aperture;
};
struct iommu_domain {
	struct iommu_domain_geometry geometry;
};
struct kthread_work {
	void (*func)(struct kthread_work *work);
};
struct kthread_worker {
	int unused;
};
struct work_struct {
	int unused;
};
struct iova_domain {
	int unused;
};
struct sk_buff;
struct netlink_ext_ack;
typedef void (*work_func_t)(struct work_struct *work);
#define IOMMU_READ 1
#define IOMMU_WRITE 2
#define IOMMU_CACHE 4
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, ...);
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size);
static inline void put_device(struct device *dev) { (void)dev; }
static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	*dev->dma_mask = mask;
	dev->coherent_dma_mask = mask;
	return 0;
}

/* ---- drivers/vhost/vhost.h ---- */
struct vhost_virtqueue {
	u64 acked_backend_features;
};
struct vhost_dev {
	struct mm_struct *mm;
	struct mutex mutex;
	struct vhost_virtqueue **vqs;
	int nvqs;
	int (*msg_handler)(struct vhost_dev *dev, u32 asid,
			   struct vhost_iotlb_msg *msg);
};
int vhost_process_iotlb_msg(struct vhost_dev *dev, u32 asid,
			    struct vhost_iotlb_msg *msg);

/* ---- include/linux/vdpa.h ---- */
struct vdpa_iova_range {
	u64 first;
	u64 last;
};
struct vdpa_map_file {
	struct file *file;
	u64 offset;
};
struct vdpa_mgmt_dev;
struct vdpa_dev_set_config {
	u64 device_features;
	u64 mask;
};
#define VDPA_ATTR_DEV_FEATURES 12
#define VDPA_RESET_F_CLEAN_MAP 1
struct vdpa_device;
struct vdpa_config_ops {
	u8 (*get_status)(struct vdpa_device *vdev);
	void (*set_status)(struct vdpa_device *vdev, u8 status);
	int (*reset)(struct vdpa_device *vdev);
	int (*compat_reset)(struct vdpa_device *vdev, u32 flags);
	u16 (*get_vq_num_max)(struct vdpa_device *vdev);
	struct vdpa_iova_range (*get_iova_range)(struct vdpa_device *vdev);
	int (*set_map)(struct vdpa_device *vdev, unsigned int asid,
		       struct vhost_iotlb *iotlb);
	int (*dma_map)(struct vdpa_device *vdev, unsigned int asid, u64 iova,
		       u64 size, u64 pa, u32 perm, void *opaque);
	int (*dma_unmap)(struct vdpa_device *vdev, unsigned int asid, u64 iova,
			 u64 size);
	int (*reset_map)(struct vdpa_device *vdev, unsigned int asid);
	u64 (*get_backend_features)(const struct vdpa_device *vdev);
};
struct vdpa_device {
	struct device dev;
	struct device *dma_dev;
	const struct vdpa_config_ops *config;
	struct rw_semaphore cf_lock;
	bool features_valid;
	bool use_va;
	u32 nvqs;
	u32 ngroups;
	u32 nas;
	struct vdpa_mgmt_dev *mdev;
};
/* drivers/vdpa/vdpa.c's allocator: zeroed memory of `size` with the fields
 * set that its callers read back. */
struct vdpa_device *__vdpa_alloc_device(struct device *parent,
					const struct vdpa_config_ops *config,
					unsigned int ngroups, unsigned int nas,
					size_t size, const char *name,
					bool use_va);
void vdpa_set_status(struct vdpa_device *vdev, u8 status);

/* ---- include/linux/vringh.h ---- */
struct vringh {
	bool use_va;
	u16 last_avail_idx;
	u16 last_used_idx;
	struct vhost_iotlb *iotlb;
	spinlock_t *iotlb_lock;
	void (*notify)(struct vringh *vrh);
};
struct vringh_kiov {
	int unused;
};
void vringh_set_iotlb(struct vringh *vrh, struct vhost_iotlb *iotlb,
		      spinlock_t *iotlb_lock);
#define VDPASIM_QUEUE_MAX 256

#endif /* IOVACHECK_LINUX_SHIM_KTYPES_H_ */
