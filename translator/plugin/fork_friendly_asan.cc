// AddressSanitizer's defaults for a process that forks a child per device or
// per plug-in (the Linux device's isolation, devices/isolated_kernel_device.h,
// and the plug-ins', isolated_translator.h): no quarantine of freed memory
// (neither the global one nor the per-thread one that feeds it) and no fill
// of new allocations.
//
// Why: ASan keeps freed chunks in a quarantine (256 MB by default) and fills
// the first 4 KiB of every allocation. Both grow and dirty the heap, and a
// fork copies the page tables of all of it, then faults on every page
// either side writes. Measured on Linux 6.12's property test under
// --config=sanitize (600 cases, one child each): 228 s with the defaults,
// 100 s without the fill, 91 s with a 4 MB quarantine and no fill, 61 s
// without the global quarantine, 29 s without any quarantine or fill (the
// setting here); the kernel's fork and page-fault paths took over half of
// the time.
//
// What it costs: a use after free is still caught while the freed chunk is
// unused, no longer after it is handed out again. Everything else ASan and
// UBSan check is unchanged, and an ASAN_OPTIONS that names these flags wins.
// Only sanitizer builds call this; elsewhere it is dead code.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=0:thread_local_quarantine_size_kb=0:max_malloc_fill_size=0";
}
