/*
 * Linux's vhost IOTLB (drivers/vhost/iotlb.c) and the red-black tree under it
 * (lib/rbtree.c), compiled whole and unmodified; the interval tree comes from
 * include/linux/interval_tree_generic.h through vhost_iotlb.h, also verbatim.
 */
#include "third_party/linux/shim/kshim.h"

#include IOVACHECK_LINUX_RBTREE_C
#include IOVACHECK_LINUX_IOTLB_C
