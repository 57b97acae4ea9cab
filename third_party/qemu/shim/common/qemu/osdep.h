/*
 * iovacheck's stand-in for QEMU's "qemu/osdep.h" (ours, not QEMU's).
 *
 * It sits before QEMU's include/ directory on the include path, so QEMU's
 * files that start with #include "qemu/osdep.h" get this one: the system and
 * GLib headers they rely on, and the few QEMU utility macros and calls the
 * compiled QEMU code touches. Nothing here implements QEMU's IOVA logic; the
 * runtime calls (page sizes, logging, errors) are defined by the plug-in glue
 * (third_party/qemu/glue_common.c), which routes them to iovacheck's host.
 */
#ifndef IOVACHECK_QEMU_SHIM_OSDEP_H
#define IOVACHECK_QEMU_SHIM_OSDEP_H

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib.h>

/* x86-64 gcc has __int128: QEMU's own qemu/int128.h then uses it. */
#define CONFIG_INT128 1
#define HOST_BIG_ENDIAN 0

/* Compiler helpers QEMU's qemu/compiler.h and osdep.h would supply. */
#define QEMU_PACKED __attribute__((packed))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef container_of
#define container_of(ptr, type, member)                      \
  ((type *)((char *)(ptr) - offsetof(type, member)))
#endif
#define DO_UPCAST(type, field, dev) container_of(dev, type, field)
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#define ROUND_UP(n, d) ((((n) + (d) - 1) / (d)) * (d))
#define QEMU_ALIGN_UP(n, m) ROUND_UP(n, m)
#define G_GNUC_PRINTF_SHIM(a, b) __attribute__((format(printf, a, b)))

/* Page sizes: the device configuration iovacheck opened the plug-in with. */
size_t qemu_real_host_page_size(void);
size_t qemu_target_page_size(void);

/* Logging: one line each through iovacheck_host.log. */
void error_report(const char *fmt, ...) G_GNUC_PRINTF_SHIM(1, 2);
#define LOG_GUEST_ERROR (1 << 11)
void qemu_log_mask(int mask, const char *fmt, ...) G_GNUC_PRINTF_SHIM(2, 3);

/* qapi/error.h: an Error carries a message the glue logs and frees. */
typedef struct Error Error;
struct Error {
  char *msg;
};
void iovacheck_qemu_error_setg(Error **errp, int os_errno, const char *fmt,
                               ...) G_GNUC_PRINTF_SHIM(3, 4);
#define error_setg(errp, ...) iovacheck_qemu_error_setg(errp, 0, __VA_ARGS__)
#define error_setg_errno(errp, os_errno, ...) \
  iovacheck_qemu_error_setg(errp, os_errno, __VA_ARGS__)
void error_append_hint(Error *const *errp, const char *fmt, ...)
    G_GNUC_PRINTF_SHIM(2, 3);
void error_report_err(Error *err);
void error_free(Error *err);

/* RCU: one thread at a time here, nothing to guard. */
#define RCU_READ_LOCK_GUARD()

#endif /* IOVACHECK_QEMU_SHIM_OSDEP_H */
