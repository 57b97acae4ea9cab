/*
 * What the QEMU plug-ins share (ours): the instance currently being called,
 * the device fd routed to iovacheck_host.device_write, logging, page sizes
 * and QEMU's Error type. Every plug-in entry point calls
 * iovacheck_qemu_enter() first: QEMU's code reaches its globals
 * (qemu_real_host_page_size(), error_report(), write()) without a context
 * pointer, and plug-ins are called from one thread at a time.
 */
#ifndef IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H
#define IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "translator/plugin/iovacheck_plugin.h"

#define IOVACHECK_QEMU_EXPORT __attribute__((visibility("default")))

typedef struct IovacheckQemuRuntime {
  iovacheck_host host;
  iovacheck_device_config config;
  int device_fd;         /* the fake vhost-vdpa fd QEMU's code writes to */
  int first_write_errno; /* of the current call; 0 when none failed */
} IovacheckQemuRuntime;

/* Fills `rt` for a new instance (a fresh fd number). */
void iovacheck_qemu_runtime_init(IovacheckQemuRuntime *rt,
                                 const iovacheck_device_config *config,
                                 const iovacheck_host *host);
/* Makes `rt` current and clears its first_write_errno. */
void iovacheck_qemu_enter(IovacheckQemuRuntime *rt);
/* write(2) on the current instance's fd: device_write, errno on failure. */
ssize_t iovacheck_qemu_write(int fd, const void *buf, size_t len);
/* One log line "name args" for a trace point. */
void iovacheck_qemu_trace(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* One log line. */
void iovacheck_qemu_log(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* A MemoryRegionSection for `s` over the fake RAM region `mr`:
 * offset_within_region is the HVA's offset in its target page and the
 * region's RAM pointer the HVA minus that, so QEMU's
 * memory_region_get_ram_ptr(mr) + offset_within_region is the HVA. */
struct MemoryRegion;
struct MemoryRegionSection;
void iovacheck_qemu_make_section(const iovacheck_section *s,
                                 struct MemoryRegion *mr,
                                 struct MemoryRegionSection *section);
/* QEMU's IOVA_ERR_* as an errno value. */
int iovacheck_qemu_iova_errno(int iova_err);

/* A shim function QEMU's code must never reach here: logs and aborts (the
 * plug-in runs in a child process; the crash becomes a verdict). */
void iovacheck_qemu_unreachable(const char *what) __attribute__((noreturn));

#endif /* IOVACHECK_THIRD_PARTY_QEMU_GLUE_COMMON_H */
