/*
 * The parent driver: drivers/vdpa/vdpa_sim/vdpa_sim.c's device creation,
 * reset and mapping callbacks (set_map, dma_map/dma_unmap, reset_map), cut
 * verbatim with the structures of vdpa_sim.h. What follows the cuts is ours:
 * the config ops table holds only the callbacks vhost-vdpa's IOTLB path
 * calls, set as the kernel's tables set them (vdpa_sim.c, the two
 * vdpa_config_ops near the end of the file).
 */
#include "third_party/linux/kglue.h"

/* ---- what the cut functions reach that plays no part in translation ---- */
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))
/* vdpasim_create starts a kthread worker for the datapath; no datapath runs
 * here, so the worker is a token (kthread.h). */
#define kthread_init_work(work, fn) ((work)->func = (fn))
static struct kthread_worker kglue_worker;
#define kthread_create_worker(flags, ...) (&kglue_worker)
/* vdpasim_vq_reset's ring geometry reset: rings are not modelled (vringh.c). */
static inline int vringh_init_iotlb(struct vringh *vrh, u64 features,
				    unsigned int num, bool weak_barriers,
				    void *desc, void *avail, void *used)
{
	(void)vrh; (void)features; (void)num; (void)weak_barriers;
	(void)desc; (void)avail; (void)used;
	return 0;
}
#if IOVACHECK_LINUX_VERSION == 601
#define INIT_WORK(work, fn) ((void)(work), (void)(fn))
static inline int iova_cache_get(void) { return 0; }
static inline void init_iova_domain(struct iova_domain *d, unsigned long g, unsigned long s)
{
	(void)d; (void)g; (void)s;
}
struct dma_map_ops { int unused; };
static const struct dma_map_ops vdpasim_dma_ops;
#define set_dma_ops(dev, ops) ((void)(dev), (void)(ops))
#else
struct vdpasim;
static void vdpasim_work_fn(struct kthread_work *work) { (void)work; }
#endif

#ifdef IOVACHECK_LINUX_CUT_VDPA_ALLOC
#include IOVACHECK_LINUX_CUT_VDPA_ALLOC
#endif
#include IOVACHECK_LINUX_CUT_VDPA_SIM_H
static const struct vdpa_config_ops vdpasim_config_ops;
static const struct vdpa_config_ops vdpasim_batch_config_ops;
#include IOVACHECK_LINUX_CUT_VDPA_SIM

/* vdpa_sim.c's vdpasim_config_ops (dma_map parents) and
 * vdpasim_batch_config_ops (set_map parents), the members on the IOTLB path. */
static const struct vdpa_config_ops vdpasim_config_ops = {
	.get_vq_num_max = vdpasim_get_vq_num_max,
	.get_status = vdpasim_get_status,
	.set_status = vdpasim_set_status,
	.reset = vdpasim_reset,
#if IOVACHECK_LINUX_VERSION != 601
	.compat_reset = vdpasim_compat_reset,
	.reset_map = vdpasim_reset_map,
	.get_backend_features = vdpasim_get_backend_features,
#endif
	.get_iova_range = vdpasim_get_iova_range,
	.dma_map = vdpasim_dma_map,
	.dma_unmap = vdpasim_dma_unmap,
};
static const struct vdpa_config_ops vdpasim_batch_config_ops = {
	.get_vq_num_max = vdpasim_get_vq_num_max,
	.get_status = vdpasim_get_status,
	.set_status = vdpasim_set_status,
	.reset = vdpasim_reset,
#if IOVACHECK_LINUX_VERSION != 601
	.compat_reset = vdpasim_compat_reset,
	.reset_map = vdpasim_reset_map,
	.get_backend_features = vdpasim_get_backend_features,
#endif
	.get_iova_range = vdpasim_get_iova_range,
	.set_map = vdpasim_set_map,
};

/* vdpa_sim_net's attributes (vdpa_sim_net.c: two groups, nas address
 * spaces, three queues: rx, tx, cvq). */
struct vdpa_device *kglue_sim_create(u32 nas, int batch_mapping_param,
				     int use_va_param, int max_entries,
				     long *err)
{
	struct vdpasim_dev_attr attr;
	struct vdpa_dev_set_config config;
	struct vdpasim *sim;

	memset(&attr, 0, sizeof(attr));
	memset(&config, 0, sizeof(config));
	attr.name = "vdpasim_net";
	attr.id = 1; /* VIRTIO_ID_NET */
	attr.nvqs = 3;
	attr.ngroups = 2;
	attr.nas = nas;
	attr.config_size = 64;
#if IOVACHECK_LINUX_VERSION == 601
	attr.buffer_size = PAGE_SIZE;
	(void)use_va_param;
#else
	attr.alloc_size = sizeof(struct vdpasim);
	use_va = use_va_param != 0;
#endif
	batch_mapping = batch_mapping_param;
	max_iotlb_entries = max_entries;
	sim = vdpasim_create(&attr, &config);
	if (IS_ERR(sim)) {
		*err = PTR_ERR(sim);
		return NULL;
	}
	return &sim->vdpa;
}

void kglue_sim_free(struct vdpa_device *vdpa)
{
	struct vdpasim *sim = vdpa_to_sim(vdpa);
	u32 i;

	for (i = 0; i < sim->dev_attr.nas; i++)
		vhost_iotlb_reset(&sim->iommu[i]);
	kfree(sim->iommu);
#if IOVACHECK_LINUX_VERSION != 601
	kfree(sim->iommu_pt);
#else
	kfree(sim->buffer);
#endif
	kfree(sim->vqs);
	kfree(sim->config);
	kfree(sim);
}

struct vhost_iotlb *kglue_sim_iommu(struct vdpa_device *vdpa, u32 asid)
{
	struct vdpasim *sim = vdpa_to_sim(vdpa);

	return asid < sim->dev_attr.nas ? &sim->iommu[asid] : NULL;
}

/* A queue's vringh, bound to the address space's IOTLB as
 * vdpasim_set_group_asid binds it, translating user virtual addresses when
 * the device uses VA (vdpasim_queue_ready: use_va && mm_bound). */
long kglue_sim_dma(struct vdpa_device *vdpa, u32 asid, u64 iova, u64 len,
		   int write)
{
	struct vdpasim *sim = vdpa_to_sim(vdpa);
	struct vringh vrh;

	if (asid >= sim->dev_attr.nas)
		return -EINVAL;
	memset(&vrh, 0, sizeof(vrh));
	vrh.use_va = vdpa->use_va;
	vringh_set_iotlb(&vrh, &sim->iommu[asid], &sim->iommu_lock);
	return kglue_vringh_dma(&vrh, iova, len, write);
}

int kglue_sim_parent_default(struct vdpa_device *vdpa, u32 asid)
{
#if IOVACHECK_LINUX_VERSION == 601
	(void)vdpa;
	(void)asid;
	return 0; /* 6.1's vdpa_sim has no default mapping: reset empties it */
#else
	struct vdpasim *sim = vdpa_to_sim(vdpa);

	return asid < sim->dev_attr.nas && sim->iommu_pt[asid];
#endif
}
