"""qemu_plugin: a QEMU version's vhost-vdpa code as an iovacheck plug-in.

QEMU's util/iova-tree.c and hw/virtio/vhost-iova-tree.c compile whole and
unmodified (through iova_tree_access.c); the functions listed in
cuts-<version>.txt are cut verbatim from the Debian sources at build time by
//tools/extract:extract_functions; shim/ and the glue are ours.
"""

# (output name, QEMU source file) for every cut; the names are in the cuts file.
_CUT_SOURCES = [
    ("vhost-vdpa", "hw/virtio/vhost-vdpa.c"),
    ("vhost-shadow-virtqueue", "hw/virtio/vhost-shadow-virtqueue.c"),
    ("net-vhost-vdpa", "net/vhost-vdpa.c"),
]

_EXTRACT = "//tools/extract:extract_functions"

def qemu_plugin(version, repo, variant = "", patches = {}, cuts = None):
    """Defines :qemu-<version><variant>.so and its cut and textual sources.

    Args:
      version: "7.2" or "10.0"; picks shim/qemu-<version>, glue_<v>.c and
        cuts-<version>.txt.
      repo: the debian_source repository ("@qemu_10_0").
      variant: "" for QEMU as Debian ships it, or a suffix ("-fixed") for a
        build with `patches` applied.
      patches: {QEMU source path: [patch files]}: our proposed fixes, applied
        visibly at build time to the cut sources (never to the cache).
      cuts: the cut list, when the patches add functions (default
        cuts-<version>.txt).
    """
    vtag = version.replace(".", "_")
    tag = (version + variant).replace(".", "_").replace("-", "_")
    name = version + variant
    cuts = cuts or "cuts-%s.txt" % version
    incs = []
    copts_cut = []
    for out, src in _CUT_SOURCES:
        label = "%s//:%s" % (repo, src)
        if src in patches:
            patched = "patched/qemu-%s/%s" % (name, src)
            native.genrule(
                name = "patch_%s_%s" % (tag, out.replace("-", "_")),
                srcs = [label] + patches[src],
                outs = [patched],
                cmd = "cp $(location %s) $@ && chmod u+w $@ && " % label + " && ".join([
                    "patch --quiet --no-backup-if-mismatch $@ < $(location %s)" % p
                    for p in patches[src]
                ]),
            )
            label = ":" + patched
        inc = "cut/qemu-%s/%s.inc" % (name, out)
        copts_cut.append("-DIOVACHECK_CUT_%s='\"third_party/qemu/%s\"'" %
                         (out.upper().replace("-", "_"), inc))
        native.genrule(
            name = "cut_%s_%s" % (tag, out.replace("-", "_")),
            srcs = [label, cuts],
            outs = [inc],
            tools = [_EXTRACT],
            cmd = ("$(location %s) --input=$(location %s) --output=$@ " +
                   "$$(awk '$$1 == \"%s\" && $$2 == \"%s\" { for (i = 3; i <= NF; i++) print $$i }' " +
                   "$(location %s))") % (_EXTRACT, label, out, src, cuts),
        )
        incs.append(inc)

    native.cc_library(
        name = "qemu_%s_sources" % tag,
        hdrs = [
            "%s//:headers" % repo,
            ":shim_common",
            ":shim_%s" % vtag,
        ],
        textual_hdrs = incs + ["%s//:textual_sources" % repo],
    )

    native.cc_binary(
        name = "qemu-%s.so" % name,
        srcs = [
            "glue_%s.c" % vtag,
            "glue_common.c",
            "glue_common.h",
            "iova_tree_access.c",
            "iova_tree_access.h",
        ],
        copts = [
            "-std=gnu11",
            "-D_GNU_SOURCE",
            "-fno-strict-aliasing",
            "-fwrapv",
            "-fvisibility=hidden",
            "-Wno-unused-function",
            "-Ithird_party/qemu/shim/qemu-%s" % version,
            "-Ithird_party/qemu/shim/common",
            "-Iexternal/%s/include" % repo.lstrip("@"),
            "-Iexternal/%s" % repo.lstrip("@"),
        ] + copts_cut,
        linkshared = 1,
        deps = [
            ":qemu_%s_sources" % tag,
            "//translator/plugin:abi",
            "@glib//:lib",
        ],
    )

    # The smoke test asserts the messages QEMU as shipped sends; a patched
    # build is judged by the regression cases its patches fix.
    if variant:
        return

    native.cc_test(
        name = "qemu_%s_smoke_test" % tag,
        srcs = [
            "fake_vhost_device.h",
            "plugin_smoke_test.cc",
        ],
        args = [
            "--plugin=$(rootpath :qemu-%s.so)" % name,
            "--version=qemu-%s" % version,
        ],
        data = [":qemu-%s.so" % name],
        linkopts = ["-ldl"],
        deps = [
            "//third_party:gtest",
            "//translator/plugin:abi",
        ],
    )
