/* drivers/vdpa/vdpa.c's __vdpa_alloc_device, reduced to what the parent and
 * vhost-vdpa read back: the device structure, zeroed, with its config ops,
 * groups, address spaces and use_va. (No bus, no ida, no sysfs.) */
#include "third_party/linux/shim/ktypes.h"

struct vdpa_device *__vdpa_alloc_device(struct device *parent,
					const struct vdpa_config_ops *config,
					unsigned int ngroups, unsigned int nas,
					size_t size, const char *name,
					bool use_va)
{
	struct vdpa_device *vdev;

	(void)parent;
	(void)name;
	/* The real one refuses use_va without bind_mm/set_map... only for
	 * dma_map devices lacking it; vdpa_sim has both. */
	vdev = kzalloc(size, GFP_KERNEL);
	if (!vdev)
		return ERR_PTR(-ENOMEM);
	vdev->config = config;
	vdev->ngroups = ngroups;
	vdev->nas = nas;
	vdev->use_va = use_va;
	vdev->features_valid = false;
	return vdev;
}
