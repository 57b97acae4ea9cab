"""linux_device: Linux's vhost-vdpa message path over vdpa_sim, from Debian's sources.

drivers/vhost/iotlb.c and lib/rbtree.c compile whole and unmodified
(kiotlb.c); the functions listed in cuts-<version>.txt are cut verbatim from
the Debian tree at build time by //tools/extract:extract_functions; shim/
and the k*.c glue are ours.
"""

_EXTRACT = "//tools/extract:extract_functions"

# (output name, kernel source file): every cut; the names are in the cuts file.
_CUT_SOURCES = [
    ("vhost_h", "drivers/vhost/vhost.h"),
    ("vhost", "drivers/vhost/vhost.c"),
    ("vdpa_h", "include/linux/vdpa.h"),
    ("vdpa_core", "drivers/vdpa/vdpa.c"),
    ("vdpa", "drivers/vhost/vdpa.c"),
    ("vdpa_sim_h", "drivers/vdpa/vdpa_sim/vdpa_sim.h"),
    ("vdpa_sim", "drivers/vdpa/vdpa_sim/vdpa_sim.c"),
    ("vringh", "drivers/vhost/vringh.c"),
    ("vdpa_alloc", "include/linux/vdpa.h"),
]

def linux_device(version, repo, code, outs):
    """Defines :linux_<v>: a cc_library exporting kdev.h for one kernel.

    Args:
      version: "6.1" or "6.12" (picks cuts-<version>.txt).
      repo: the debian_source repository ("@linux_6_12").
      code: IOVACHECK_LINUX_VERSION for the glue's version switches (601, 612).
      outs: which of _CUT_SOURCES this version's cuts file uses.
    """
    tag = version.replace(".", "_")
    cuts = "cuts-%s.txt" % version
    defines = [
        "-DIOVACHECK_LINUX_VERSION=%d" % code,
        "-DIOVACHECK_LINUX_RBTREE_C='\"%s/lib/rbtree.c\"'" % _repo_path(repo),
        "-DIOVACHECK_LINUX_IOTLB_C='\"%s/drivers/vhost/iotlb.c\"'" % _repo_path(repo),
    ]
    incs = []
    for out, src in _CUT_SOURCES:
        if out not in outs:
            continue
        inc = "cut/linux-%s/%s.inc" % (version, out)
        native.genrule(
            name = "cut_%s_%s" % (tag, out),
            srcs = ["%s//:%s" % (repo, src), cuts],
            outs = [inc],
            tools = [_EXTRACT],
            # One name per line after "<out> <file>"; names may hold spaces.
            cmd = ("awk '$$1 == \"%s\" && $$2 == \"%s\" { $$1 = \"\"; $$2 = \"\"; " +
                   "sub(/^ +/, \"\"); print }' $(location %s) | tr '\\n' '\\0' | " +
                   "xargs -0 $(location %s) --input=$(location %s//:%s) --output=$@ " +
                   "--line-path=%s") % (out, src, cuts, _EXTRACT, repo, src, src),
        )
        defines.append("-DIOVACHECK_LINUX_CUT_%s='\"third_party/linux/%s\"'" % (out.upper(), inc))
        incs.append(inc)

    native.cc_library(
        name = "linux_%s" % tag,
        srcs = [
            "kiotlb.c",
            "ksim.c",
            "kvdpa.c",
            "kvringh.c",
            "kglue.h",
            "shim/kshim_alloc.c",
            "shim/kshim_iov.c",
            "shim/kshim_mm.c",
            "shim/kshim_vdpa_alloc.c",
        ],
        hdrs = ["kdev.h"],
        textual_hdrs = incs + ["%s//:textual_sources" % repo],
        # The kernel text is C written for GCC's kernel dialect; its warnings
        # are the kernel's, not ours. The kernel builds with
        # -fno-strict-overflow (Makefile line 1020 in 6.12), under which
        # pointer arithmetic wraps: vringh's copy_{to,from}_iotlb step past
        # the last byte of the address space at a DMA ending at 2^64 (the
        # properties draw one). The kernel's own UBSAN does not check pointer
        # overflow, so ours does not either on its text.
        copts = ["-std=gnu11", "-w", "-fno-strict-overflow", "-fno-sanitize=pointer-overflow"] +
                defines,
        # Linked whole into linux-<version>.so, which nothing else references.
        alwayslink = True,
        deps = [
            ":shim_headers",
            "%s//:uapi_headers" % repo,
            "%s//:verbatim_headers" % repo,
        ],
        visibility = ["//visibility:public"],
    )

def _repo_path(repo):
    return "external/" + repo.lstrip("@")
