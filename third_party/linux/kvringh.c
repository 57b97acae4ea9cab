/*
 * The parent device's DMA path: drivers/vhost/vringh.c's iotlb_translate and
 * copy_{from,to}_iotlb, cut verbatim. The data copy itself lands in the
 * shim's iov_iter, which records each translated piece instead of touching
 * memory (kshim_iov.c).
 */
#include "third_party/linux/kglue.h"

#include IOVACHECK_LINUX_CUT_VRINGH

long kglue_vringh_dma(struct vringh *vrh, u64 iova, u64 len, int write)
{
	static char sink[1];
	if (write)
		return copy_to_iotlb(vrh, (void *)(uintptr_t)iova, sink, len);
	return copy_from_iotlb(vrh, sink, (void *)(uintptr_t)iova, len);
}
