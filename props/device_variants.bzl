"""A property test run once per device: the emulation, and Linux's own code."""

def cc_test_per_device(name, srcs, deps, **kwargs):
    """`name` against the emulation, `name`_linux_6_12 against linux-6.12.

    The test picks its device from IOVACHECK_DEVICE (props/test_seed.h).
    """
    native.cc_test(name = name, srcs = srcs, deps = deps, **kwargs)
    base = name[:-len("_test")] if name.endswith("_test") else name
    native.cc_test(
        name = base + "_linux_6_12_test",
        srcs = srcs,
        deps = deps,
        env = {"IOVACHECK_DEVICE": "linux-6.12"},
        **kwargs
    )
