/* Our accessor to QEMU's private VhostIOVATree (see iova_tree_access.c). */
#ifndef IOVACHECK_THIRD_PARTY_QEMU_IOVA_TREE_ACCESS_H
#define IOVACHECK_THIRD_PARTY_QEMU_IOVA_TREE_ACCESS_H

#include "hw/virtio/vhost-iova-tree.h"
#include "translator/plugin/iovacheck_plugin.h"

/* The IOVA ranges the tree holds allocated, in IOVA order: writes at most
 * `capacity` to `out`, returns how many there are. */
size_t iovacheck_vhost_iova_tree_allocations(const VhostIOVATree *tree,
                                             iovacheck_allocation *out,
                                             size_t capacity);

#endif
