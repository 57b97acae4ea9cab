/* Which QEMU the shim set in this directory is for (ours). */
#ifndef IOVACHECK_QEMU_VERSION_H
#define IOVACHECK_QEMU_VERSION_H
#define IOVACHECK_QEMU_VERSION "qemu-7.2"
/* QEMU 7.2's VhostIOVATree has one tree: allocations and IOVA->HVA at once. */
#define IOVACHECK_QEMU_ALLOCATION_TREE iova_taddr_map
#endif
