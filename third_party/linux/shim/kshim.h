/*
 * kshim.h: the kernel environment the cut Linux functions run in, in one
 * user-space process. It supplies only what drivers/vhost/{iotlb,vdpa,vhost,
 * vringh}.c, lib/rbtree.c and drivers/vdpa/vdpa_sim/vdpa_sim.c touch:
 *   - types, compiler attributes and helper macros (include/linux/types.h,
 *     compiler*.h, minmax.h, container_of.h);
 *   - locks as no-ops: one thread runs the device at a time, and every call
 *     into it completes before the next (include/linux/spinlock.h, mutex.h,
 *     rwsem.h, mmap_lock.h);
 *   - allocation through malloc, with a countdown that makes the Nth
 *     allocation fail (include/linux/slab.h, gfp.h);
 *   - the process memory map (kshim_mm.c): find_vma, pin_user_pages, rlimit;
 *   - iov_iter over a byte buffer, and a DMA recorder in place of real copies
 *     (kshim_iov.c).
 * Nothing here decides an IOTLB outcome: that is the kernel's text.
 */
#ifndef IOVACHECK_LINUX_SHIM_KSHIM_H_
#define IOVACHECK_LINUX_SHIM_KSHIM_H_

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* ---- include/linux/types.h, uapi/asm-generic/int-ll64.h ---- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint16_t __virtio16;
typedef uint32_t __virtio32;
typedef uint64_t __virtio64;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int __poll_t;
typedef unsigned int vm_fault_t;
typedef int irqreturn_t;

struct list_head {
	struct list_head *next, *prev;
};
struct hlist_head {
	struct hlist_node *first;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};

typedef struct {
	int counter;
} atomic_t;
typedef struct {
	s64 counter;
} atomic64_t;

/* ---- compiler.h, compiler_types.h, rwonce.h, asm/barrier.h ---- */
#define __user
#define __rcu
#define __force
#define __must_check
#define __init
#define __exit
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define smp_store_release(p, v) WRITE_ONCE(*(p), (v))
#define smp_load_acquire(p) READ_ONCE(*(p))
#define smp_mb() barrier()
#define smp_wmb() barrier()
#define smp_rmb() barrier()
#define IS_ENABLED(option) 0
#define IS_REACHABLE(option) 0
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define fallthrough __attribute__((__fallthrough__))

/* ---- container_of.h, kernel.h, minmax.h, limits.h, bits.h ---- */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min(x, y) ((x) < (y) ? (x) : (y))
#define max(x, y) ((x) > (y) ? (x) : (y))
#define min_t(type, x, y) ((type)(x) < (type)(y) ? (type)(x) : (type)(y))
#define max_t(type, x, y) ((type)(x) > (type)(y) ? (type)(x) : (type)(y))
#define U64_MAX ((u64)~0ULL)
#define U32_MAX ((u32)~0U)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define MINORBITS 20

/* ---- printk, bug.h: diagnostics go nowhere; WARN returns its condition ---- */
#define dev_err(dev, ...) ((void)(dev))
#define dev_info(dev, ...) ((void)(dev))
#define dev_warn(dev, ...) ((void)(dev))
#define dev_dbg(dev, ...) ((void)(dev))
#define pr_err(...) ((void)0)
#define pr_warn(...) ((void)0)
#define pr_info(...) ((void)0)
#define pr_debug(...) ((void)0)
#define WARN(cond, ...) (!!(cond))
#define WARN_ON(cond) (!!(cond))
#define WARN_ON_ONCE(cond) (!!(cond))
#define BUG_ON(cond) ((void)(cond))

/* ---- module.h, export.h ---- */
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_VERSION(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define MODULE_LICENSE(x)
#define module_param(name, type, perm)
#define MODULE_PARM_DESC(name, desc)

/* ---- rcupdate.h: one thread, so plain stores ---- */
#define rcu_assign_pointer(p, v) WRITE_ONCE((p), (v))
#define RCU_INIT_POINTER(p, v) ((p) = (v))
#define rcu_dereference_raw(p) (p)

/* ---- atomic.h ---- */
static inline s64 atomic64_read(const atomic64_t *v) { return v->counter; }
static inline void atomic64_add(s64 i, atomic64_t *v) { v->counter += i; }
static inline void atomic64_sub(s64 i, atomic64_t *v) { v->counter -= i; }
static inline void atomic64_set(atomic64_t *v, s64 i) { v->counter = i; }
static inline int atomic_read(const atomic_t *v) { return v->counter; }
static inline void atomic_dec(atomic_t *v) { v->counter--; }
static inline int atomic_cmpxchg(atomic_t *v, int old, int new_)
{
	int cur = v->counter;
	if (cur == old)
		v->counter = new_;
	return cur;
}

/* ---- spinlock.h, mutex.h, rwsem.h, mmap_lock.h: no-ops ---- */
typedef struct {
	int unused;
} spinlock_t;
struct mutex {
	int unused;
};
struct rw_semaphore {
	int unused;
};
#define spin_lock_init(l) ((void)(l))
#define spin_lock(l) ((void)(l))
#define spin_unlock(l) ((void)(l))
#define spin_lock_irqsave(l, f) ((void)(l), (void)(f))
#define spin_unlock_irqrestore(l, f) ((void)(l), (void)(f))
#define mutex_init(m) ((void)(m))
#define mutex_lock(m) ((void)(m))
#define mutex_unlock(m) ((void)(m))
#define down_write(s) ((void)(s))
#define up_write(s) ((void)(s))
#define mmap_read_lock(mm) ((void)(mm))
#define mmap_read_unlock(mm) ((void)(mm))

/* ---- slab.h, gfp.h, vmalloc.h ---- */
#define GFP_KERNEL 0u
#define GFP_ATOMIC 0u
#define GFP_KERNEL_ACCOUNT 0u
void *kshim_alloc(size_t size, bool zero);
void kshim_free(const void *p);
#define kmalloc(size, gfp) kshim_alloc((size), false)
#define kzalloc(size, gfp) kshim_alloc((size), true)
#define kvmalloc(size, gfp) kshim_alloc((size), false)
#define kvzalloc(size, gfp) kshim_alloc((size), true)
#define kmalloc_array(n, size, gfp) kshim_alloc((n) * (size), false)
#define kcalloc(n, size, gfp) kshim_alloc((n) * (size), true)
#define kfree(p) kshim_free(p)
#define kvfree(p) kshim_free(p)
unsigned long __get_free_page(gfp_t gfp);
void free_page(unsigned long addr);

/* ---- err.h ---- */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }

/* ---- asm/page.h, pfn.h: 4 KiB pages, as on x86-64 ---- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

/* ---- sched.h, resource.h ---- */
struct mm_struct;
struct task_struct {
	struct mm_struct *mm;
};
extern struct task_struct *kshim_current;
#define current kshim_current
#define RLIMIT_MEMLOCK 8
unsigned long rlimit(unsigned int limit);

/* ---- virtio_config.h ---- */
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

/* The kernel's list and hlist helpers, verbatim (slab.h and friends pull
 * them in inside the kernel). */
#include <linux/list.h>

#endif /* IOVACHECK_LINUX_SHIM_KSHIM_H_ */
