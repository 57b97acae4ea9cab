/* The kernel's <linux/virtio_ring.h>, as far as the verbatim kernel text needs it: see kshim.h. */
#include "third_party/linux/shim/kshim.h"
