"""target_genrule: a genrule whose tools are built in the target
configuration.

A native genrule builds its `tools` for the host, so a seed corpus made by
running `//tools:iovacheck` compiled the whole project (QEMU's and Linux's
code included) a second time: 296 host compile actions beside 247 for the
tests themselves. Here the tool is the very binary the tests use, built
once per configuration (and, under --config=sanitize or --config=fuzz,
itself instrumented while it makes the seeds).

`cmd` is a shell command; `$(location X)` names a tool, a source or one of
`outs` (by its name in this package), `$@` the only output.
"""

def _target_genrule_impl(ctx):
    cmd = ctx.attr.cmd
    for out in ctx.outputs.outs:
        name = out.short_path[len(ctx.label.package) + 1:]
        cmd = cmd.replace("$(location %s)" % name, out.path)
    if len(ctx.outputs.outs) == 1:
        cmd = cmd.replace("$@", ctx.outputs.outs[0].path)
    cmd = ctx.expand_location(cmd, ctx.attr.tools + ctx.attr.srcs)
    ctx.actions.run_shell(
        outputs = ctx.outputs.outs,
        inputs = ctx.files.srcs,
        tools = [t[DefaultInfo].files_to_run for t in ctx.attr.tools],
        command = "set -e; " + cmd,
        mnemonic = "TargetGenrule",
        progress_message = "Making %s" % ctx.label,
    )
    return [DefaultInfo(
        files = depset(ctx.outputs.outs),
        runfiles = ctx.runfiles(files = ctx.outputs.outs),
    )]

target_genrule = rule(
    implementation = _target_genrule_impl,
    attrs = {
        "srcs": attr.label_list(allow_files = True),
        "outs": attr.output_list(mandatory = True),
        "cmd": attr.string(mandatory = True),
        "tools": attr.label_list(cfg = "target"),
    },
)
