/* The device owner's process: its memory map (find_vma, mm/mmap.c), page
 * pinning (pin_user_pages, mm/gup.c) and RLIMIT_MEMLOCK. A page's frame
 * number is its user address >> PAGE_SHIFT, so a "physical" address in PA
 * mode reads back as the user address it was pinned from; struct page
 * pointers encode the frame number and are never dereferenced. */
#include "third_party/linux/shim/ktypes.h"

struct task_struct *kshim_current;

unsigned long rlimit(unsigned int limit)
{
	(void)limit;
	if (!current->mm->memlock_limit)
		return ULONG_MAX; /* RLIM_INFINITY */
	return current->mm->memlock_limit;
}

/* The first area that ends above addr, as find_vma returns it (which may
 * start above addr: callers must check vm_start themselves). */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	int i;

	for (i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_end > addr)
			return &mm->vmas[i];
	return NULL;
}

/* A fake vmemmap based at 0x1000 (never dereferenced). */
struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(uintptr_t)(0x1000 + pfn * sizeof(struct page));
}

unsigned long page_to_pfn(const struct page *page)
{
	return ((uintptr_t)page - 0x1000) / sizeof(struct page);
}

/* GUP's rules that matter here: every page must lie inside an area
 * (-EFAULT otherwise, as get_user_pages reports a hole), FOLL_WRITE needs a
 * writable area (-EFAULT), and VM_IO/VM_PFNMAP areas cannot be pinned. */
long pin_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	struct mm_struct *mm = current->mm;
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		unsigned long addr = start + i * PAGE_SIZE;
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start > addr ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP)) ||
		    ((gup_flags & FOLL_WRITE) && !(vma->vm_flags & VM_WRITE)))
			break;
		pages[i] = pfn_to_page(addr >> PAGE_SHIFT);
	}
	mm->pinned_pages += (long)i;
	if (i == 0 && nr_pages)
		return -EFAULT;
	return (long)i;
}

long kshim_pin_user_pages_61(unsigned long start, unsigned long nr_pages,
			     unsigned int gup_flags, struct page **pages,
			     void *vmas)
{
	(void)vmas;
	return pin_user_pages(start, nr_pages, gup_flags, pages);
}

void unpin_user_page(struct page *page)
{
	(void)page;
	current->mm->pinned_pages--;
}

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		unpin_user_page(pages[i]);
}

/* Platform IOMMU calls: only parents without their own IOMMU reach them. */
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, ...)
{
	(void)domain; (void)iova; (void)paddr; (void)size; (void)prot;
	return -ENODEV;
}

size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	(void)domain; (void)iova; (void)size;
	return 0;
}

int vhost_process_iotlb_msg(struct vhost_dev *dev, u32 asid,
			    struct vhost_iotlb_msg *msg)
{
	(void)dev; (void)asid; (void)msg;
	return -EINVAL; /* vhost-net's handler: never the vhost-vdpa path */
}
