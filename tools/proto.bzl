"""cc_proto: C++ protobuf code from the system protoc, offline.

Bazel's native proto rules want @com_google_protobuf sources, which are not
on these machines; a genrule running Debian's protoc does the same job.
"""

def cc_proto(name, src, deps = [], visibility = None):
    """Generates <src>.pb.{h,cc} and a cc_library `name` over them.

    Args:
      name: the cc_library's name.
      src: one .proto file in this package.
      deps: other cc_proto targets it imports.
      visibility: of the cc_library.
    """
    base = src[:-len(".proto")]
    native.genrule(
        name = name + "_gen",
        srcs = [src],
        outs = [base + ".pb.h", base + ".pb.cc"],
        cmd = "protoc --proto_path=. --cpp_out=$(GENDIR) $(location %s)" % src,
    )
    native.cc_library(
        name = name,
        srcs = [base + ".pb.cc"],
        hdrs = [base + ".pb.h"],
        deps = deps + ["//third_party:protobuf"],
        visibility = visibility,
    )
