/* Kernel allocations (slab.h, gfp.h) on malloc, with a countdown that makes
 * one chosen allocation fail, so ENOMEM paths of the kernel text are
 * reachable from a trace. */
#include <stdlib.h>

#include "third_party/linux/kdev.h"
#include "third_party/linux/shim/kshim.h"

static long fail_countdown;

void kdev_fail_allocation(long nth) { fail_countdown = nth; }

static bool should_fail(void)
{
	if (fail_countdown <= 0)
		return false;
	return --fail_countdown == 0;
}

static int misbehave;

void kdev_misbehave_next_allocation(int how) { misbehave = how; }

/* The store through NULL is the point (a planted crash): under
 * --config=sanitize UBSan would report it and exit instead of letting the
 * signal kill the child. */
__attribute__((no_sanitize("undefined")))
void *kshim_alloc(size_t size, bool zero)
{
	if (misbehave == 1) {
		volatile int *nowhere = NULL;

		misbehave = 0;
		*nowhere = 1;
	}
	while (misbehave == 2)
		__asm__ volatile("" ::: "memory");
	if (should_fail())
		return NULL;
	/* kmalloc(0) returns a valid unique pointer in the kernel (ZERO_SIZE_PTR). */
	return zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
}

void kshim_free(const void *p) { free((void *)p); }

unsigned long __get_free_page(gfp_t gfp)
{
	(void)gfp;
	return (unsigned long)kshim_alloc(PAGE_SIZE, false);
}

void free_page(unsigned long addr) { free((void *)addr); }
