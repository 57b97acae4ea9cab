/*
 * kglue.h: what our translation units (kvdpa.c, ksim.c, kvringh.c) call of
 * each other. Each cut file's static functions stay inside the unit that
 * includes it; these are the only doors between them.
 */
#ifndef IOVACHECK_THIRD_PARTY_LINUX_KGLUE_H_
#define IOVACHECK_THIRD_PARTY_LINUX_KGLUE_H_

#include "third_party/linux/shim/ktypes.h"

/* ksim.c: vdpasim_create with our attributes, after setting the module
 * parameters; NULL (and *err) when it fails. */
struct vdpa_device *kglue_sim_create(u32 nas, int batch_mapping, int use_va,
				     int max_iotlb_entries, long *err);
void kglue_sim_free(struct vdpa_device *vdpa);
/* The parent's IOTLB of an address space (NULL when asid >= nas). */
struct vhost_iotlb *kglue_sim_iommu(struct vdpa_device *vdpa, u32 asid);
/* Whether the parent's IOTLB is its default passthrough (6.12: iommu_pt). */
int kglue_sim_parent_default(struct vdpa_device *vdpa, u32 asid);
/* A device access through that IOTLB, as vringh makes it. */
long kglue_sim_dma(struct vdpa_device *vdpa, u32 asid, u64 iova, u64 len,
		   int write);

/* kvringh.c */
long kglue_vringh_dma(struct vringh *vrh, u64 iova, u64 len, int write);

/* kshim_iov.c: where a DMA's pieces go, and the current address space. */
typedef void (*kglue_segment_fn)(void *ctx, u64 addr, u64 len);
void kglue_set_dma_sink(kglue_segment_fn fn, void *ctx);

#endif /* IOVACHECK_THIRD_PARTY_LINUX_KGLUE_H_ */
