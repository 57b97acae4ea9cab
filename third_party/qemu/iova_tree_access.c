/*
 * QEMU's IOVA trees, compiled unmodified, plus our accessor (ours).
 *
 * This translation unit is QEMU's util/iova-tree.c and
 * hw/virtio/vhost-iova-tree.c, included whole and untouched, followed by one
 * function of ours that walks the allocation tree for iovacheck's leak
 * check. VhostIOVATree and IOVATree are private to those files, so reading
 * them from inside the same translation unit is the way in that changes
 * nothing of QEMU's.
 */
#include "util/iova-tree.c"
#include "hw/virtio/vhost-iova-tree.c"

#include "iovacheck_qemu_version.h"
#include "third_party/qemu/iova_tree_access.h"

typedef struct AllocationWalk {
  iovacheck_allocation *out;
  size_t capacity;
  size_t count;
} AllocationWalk;

static gboolean iovacheck_allocation_visit(gpointer key, gpointer value,
                                           gpointer data) {
  const DMAMap *map = value;
  AllocationWalk *walk = data;
  (void)key;
  if (walk->count < walk->capacity) {
    walk->out[walk->count].iova = map->iova;
    walk->out[walk->count].len = map->size + 1; /* DMAMap.size is inclusive */
  }
  walk->count++;
  return FALSE;
}

size_t iovacheck_vhost_iova_tree_allocations(const VhostIOVATree *tree,
                                             iovacheck_allocation *out,
                                             size_t capacity) {
  AllocationWalk walk = {out, capacity, 0};
  g_tree_foreach(tree->IOVACHECK_QEMU_ALLOCATION_TREE->tree,
                 iovacheck_allocation_visit, &walk);
  return walk.count;
}
