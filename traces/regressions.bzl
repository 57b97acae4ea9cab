"""One test per regression case, found by glob: dropping a file into
traces/regressions/ adds its test without editing a BUILD file."""

def regression_tests(name, srcs, runner):
    """Declares `<name>_<case>` sh_tests replaying each case, and a suite `name`.

    Args:
      name: prefix of the tests and name of the test_suite.
      srcs: the trace files (a glob).
      runner: the regression runner binary.
    """
    tests = []
    for src in srcs:
        case = src.split("/")[-1].split(".")[0]
        test = "%s_%s" % (name, case)
        native.sh_test(
            name = test,
            srcs = ["run_regression.sh"],
            args = ["$(location %s)" % runner, "$(location %s)" % src],
            data = [runner, src],
        )
        tests.append(test)
    native.test_suite(name = name, tests = tests)
