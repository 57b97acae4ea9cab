/* Which QEMU the shim set in this directory is for (ours). */
#ifndef IOVACHECK_QEMU_VERSION_H
#define IOVACHECK_QEMU_VERSION_H
#define IOVACHECK_QEMU_VERSION "qemu-10.0"
/* The IOVA-only allocation tree inside QEMU's private VhostIOVATree. */
#define IOVACHECK_QEMU_ALLOCATION_TREE iova_map
#endif
