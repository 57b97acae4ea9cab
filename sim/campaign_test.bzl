"""campaign_test: a seed range of every scenario as a sharded Bazel test."""

def campaign_test(name, first, last, seeds_per_shard = 125, **kwargs):
    """sim/campaign_sharded_test.cc over seeds first..last.

    The shard count follows from the range: one shard per `seeds_per_shard`
    seeds (at least 1), so a wider range spreads over more local cores or
    remote-execution workers without editing a count by hand. Bazel takes
    shard_count from the BUILD file, hence a macro.

    Args:
      name: the test's name.
      first: the first seed.
      last: the last seed (inclusive).
      seeds_per_shard: how many seeds one shard runs, about.
      **kwargs: more cc_test attributes (size, timeout, tags).
    """
    count = last - first + 1
    shards = (count + seeds_per_shard - 1) // seeds_per_shard
    native.cc_test(
        name = name,
        srcs = ["campaign_sharded_test.cc"],
        args = ["--seeds=%d..%d" % (first, last)],
        shard_count = shards if shards > 1 else 1,
        deps = [
            ":campaign",
            ":scenario_interface",
            ":scenario_registry",
            "//campaigns:shard_spec",
            "//third_party:absl",
        ],
        **kwargs
    )
