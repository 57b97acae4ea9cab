"""A fuzz target: its code as a library, a test running it through the
deterministic driver over its seed corpus plus mutated inputs, and the same
code as a libFuzzer binary (`name`, tagged manual: it builds only with
--config=fuzz, which compiles with clang)."""

def fuzz_target(name, srcs, deps, corpus, runs = 2000):
    native.cc_library(
        name = name + "_lib",
        srcs = srcs,
        deps = deps + [":fuzz_target"],
        alwayslink = True,
        testonly = True,
    )
    native.cc_test(
        name = name + "_test",
        deps = [name + "_lib", ":driver"],
        data = corpus,
        args = ["--runs=%d" % runs, "--seed=1"] + ["$(locations %s)" % c for c in corpus],
    )
    native.cc_binary(
        name = name,
        deps = [name + "_lib"],
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual"],
        testonly = True,
    )
