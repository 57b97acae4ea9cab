/* iov_iter (lib/iov_iter.c) over what the cut functions hand it: a byte
 * buffer for write(2), and iovecs or bio_vecs for a device DMA, where no
 * bytes move: each piece is reported to the DMA sink instead. */
#include "third_party/linux/kglue.h"

static kglue_segment_fn sink_fn;
static void *sink_ctx;

void kglue_set_dma_sink(kglue_segment_fn fn, void *ctx)
{
	sink_fn = fn;
	sink_ctx = ctx;
}

size_t copy_from_iter(void *to, size_t bytes, struct iov_iter *i)
{
	size_t n = 0;
	unsigned long k;

	if (i->kind == 0) {
		n = bytes < i->count ? bytes : i->count;
		memcpy(to, i->buf, n);
		i->buf += n;
		i->count -= n;
		return n;
	}
	/* A DMA: walk the segments the translation produced. */
	for (k = 0; k < i->nr_segs && n < bytes && i->count; k++) {
		u64 addr, len;

		if (i->kind == 1) {
			addr = (u64)(uintptr_t)i->iov[k].iov_base;
			len = i->iov[k].iov_len;
		} else {
			addr = ((u64)page_to_pfn(i->bvec[k].bv_page) << PAGE_SHIFT) +
			       i->bvec[k].bv_offset;
			len = i->bvec[k].bv_len;
		}
		if (len > bytes - n)
			len = bytes - n;
		if (len > i->count)
			len = i->count;
		if (sink_fn && len)
			sink_fn(sink_ctx, addr, len);
		n += len;
		i->count -= len;
	}
	return n;
}

size_t copy_to_iter(const void *from, size_t bytes, struct iov_iter *i)
{
	(void)from;
	return copy_from_iter(NULL, bytes, i);
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	size_t n = bytes < i->count ? bytes : i->count;

	i->buf += n;
	i->count -= n;
}

void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count)
{
	(void)direction;
	memset(i, 0, sizeof(*i));
	i->kind = 1;
	i->iov = iov;
	i->nr_segs = nr_segs;
	i->count = count;
}

void iov_iter_bvec(struct iov_iter *i, unsigned int direction,
		   const struct bio_vec *bvec, unsigned long nr_segs,
		   size_t count)
{
	(void)direction;
	memset(i, 0, sizeof(*i));
	i->kind = 2;
	i->bvec = bvec;
	i->nr_segs = nr_segs;
	i->count = count;
}
