#!/usr/bin/env bash
# `iovacheck build-qemu-plugin` as a QEMU developer uses it: copy QEMU 10.0's
# tree, apply a patch, build the plug-in, and replay the findings' minimal
# traces: the unpatched build fails them, the patched one passes.
set -euo pipefail
iovacheck=$1
tree=$2          # QEMU 10.0's tree among the runfiles
fixed_cuts=$3    # the cut list of the patched tree
shift 3
patches=()
traces=()
for a in "$@"; do
  case "$a" in
    *.patch) patches+=("$a") ;;
    *) traces+=("$a") ;;
  esac
done

work=${TEST_TMPDIR:-$(mktemp -d)}
failed=0
check() { if ! "$@"; then echo "FAILED: $*"; failed=1; fi; }

for variant in plain patched; do
  dir="$work/$variant"
  rm -rf "$dir"
  mkdir -p "$dir"
  # A writable copy, as a developer's checkout is.
  (cd "$tree" && tar -chf - include hw/virtio net util/iova-tree.c) | (cd "$dir" && tar -xf -)
  if [[ $variant == patched ]]; then
    for p in "${patches[@]}"; do
      # Our patches name one file each; apply it to that file in the tree.
      target=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$p" | head -1)
      patch --quiet "$dir/$target" < "$p"
    done
  fi
  cuts=()
  [[ $variant == patched ]] && cuts=(--cuts="$fixed_cuts")
  "$iovacheck" build-qemu-plugin --qemu-src="$dir" -o "$work/$variant.so" "${cuts[@]}"
  check test -f "$work/$variant.so"
done

for t in "${traces[@]}"; do
  set +e
  "$iovacheck" replay "$t" --translator="plugin:$work/plain.so" > "$work/out" 2>&1
  plain=$?
  "$iovacheck" replay "$t" --translator="plugin:$work/patched.so" > "$work/out2" 2>&1
  patched=$?
  set -e
  check test "$plain" -eq 1
  check test "$patched" -eq 0
  echo "$(basename "$t"): unpatched exit $plain, patched exit $patched"
done

# Bad input: not a QEMU tree, no arguments.
set +e
"$iovacheck" build-qemu-plugin --qemu-src="$work" -o "$work/x.so" 2> "$work/err"
rc=$?
set -e
check test "$rc" -eq 1
check grep -q "is not a QEMU tree with vhost-vdpa" "$work/err"
set +e
"$iovacheck" build-qemu-plugin 2> /dev/null
rc=$?
set -e
check test "$rc" -eq 2
exit $failed
