#!/usr/bin/env bash
# Builds an iovacheck plug-in from a QEMU source tree (a user's own checkout
# or Debian's), with gcc directly, no Bazel:
#
#   tools/build_qemu_plugin.sh --qemu-src=DIR -o FILE.so [--extractor=PATH] [--cuts=FILE]
#
# --cuts names the list of functions to cut (third_party/qemu/cuts-*.txt's
# format) when your tree adds or renames some; the default is the list of
# the QEMU version the tree looks like.
#
# QEMU's util/iova-tree.c and hw/virtio/vhost-iova-tree.c compile whole and
# unmodified; the vhost-vdpa functions are cut from the tree by name with
# extract_functions (--extractor, or $IOVACHECK_EXTRACTOR; otherwise it is
# built from tools/extract with g++). The shim set is picked by the tree's
# layout: VhostVDPAShared in include/hw/virtio/vhost-vdpa.h means QEMU 10.0's
# (shared vhost-vdpa state, three IOVA trees), the older single
# struct vhost_vdpa with a two-argument vhost_iova_tree_map_alloc means 7.2's.
# Needs gcc, g++, pkg-config and GLib's headers (libglib2.0-dev).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
qemu_src=""
out=""
extractor=${IOVACHECK_EXTRACTOR:-}
cuts=""

usage() {
  echo "usage: $0 --qemu-src=DIR -o FILE.so [--extractor=PATH] [--cuts=FILE]" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --qemu-src=*) qemu_src=${1#*=} ;;
    --qemu-src) shift; qemu_src=${1:-} ;;
    -o) shift; out=${1:-} ;;
    -o*) out=${1#-o} ;;
    --output=*) out=${1#*=} ;;
    --extractor=*) extractor=${1#*=} ;;
    --cuts=*) cuts=${1#*=} ;;
    -h|--help) usage ;;
    *) echo "build_qemu_plugin: unknown argument $1" >&2; usage ;;
  esac
  shift
done
[[ -n "$qemu_src" && -n "$out" ]] || usage
[[ -d "$qemu_src" ]] || { echo "build_qemu_plugin: no such directory: $qemu_src" >&2; exit 1; }
qemu_src=$(cd "$qemu_src" && pwd)

header="$qemu_src/include/hw/virtio/vhost-vdpa.h"
iova_tree="$qemu_src/hw/virtio/vhost-iova-tree.c"
for f in "$header" "$iova_tree" "$qemu_src/util/iova-tree.c"; do
  [[ -f "$f" ]] || { echo "build_qemu_plugin: $qemu_src is not a QEMU tree with vhost-vdpa: missing $f" >&2; exit 1; }
done
if grep -q 'VhostVDPAShared' "$header"; then
  version=10.0
elif grep -q 'vhost_iova_tree_map_alloc(VhostIOVATree \*tree, DMAMap \*map)$' "$iova_tree" &&
     grep -q '^typedef struct vhost_vdpa {' "$header"; then
  version=7.2
else
  echo "build_qemu_plugin: $qemu_src: unknown vhost-vdpa layout (iovacheck has shims for QEMU 7.2's and 10.0's)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/iovacheck-qemu-plugin.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -z "$extractor" ]]; then
  extractor="$work/extract_functions"
  g++ -std=c++17 -O2 -I"$repo" "$repo/tools/extract/extract.cc" \
    "$repo/tools/extract/extract_functions.cc" -o "$extractor"
fi

cut_dir="$work/third_party/qemu/cut/qemu-$version"
mkdir -p "$cut_dir"
while read -r name src names; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  # shellcheck disable=SC2086 # one name per word
  "$extractor" --input="$qemu_src/$src" --output="$cut_dir/$name.inc" $names
done < "${cuts:-$repo/third_party/qemu/cuts-$version.txt}"

glue="$repo/third_party/qemu/glue_${version/./_}.c"
# The glue includes each cut file through a macro naming it (qemu_plugin.bzl).
cut_defines=()
for inc in "$cut_dir"/*.inc; do
  macro=$(basename "$inc" .inc | tr 'a-z-' 'A-Z_')
  cut_defines+=("-DIOVACHECK_CUT_${macro}=\"${inc}\"")
done
# shellcheck disable=SC2046
gcc -shared -fPIC -O2 -g -std=gnu11 -D_GNU_SOURCE -fno-strict-aliasing -fwrapv \
  -fvisibility=hidden -Wall -Wno-unused-function "${cut_defines[@]}" \
  -iquote "$work" -iquote "$repo" \
  -I"$repo/third_party/qemu/shim/qemu-$version" -I"$repo/third_party/qemu/shim/common" \
  -I"$qemu_src/include" -I"$qemu_src" \
  $(pkg-config --cflags glib-2.0) \
  "$glue" "$repo/third_party/qemu/glue_common.c" "$repo/third_party/qemu/iova_tree_access.c" \
  $(pkg-config --libs glib-2.0) -o "$work/plugin.so"
# Into place atomically: a temporary file beside the target, then a rename;
# a target that is not a regular file (a device, a pipe) is written through.
if [[ -e "$out" && ! -f "$out" ]]; then
  cat "$work/plugin.so" > "$out"
else
  tmp=$(mktemp "$(dirname "$out")/.$(basename "$out").XXXXXX")
  cp "$work/plugin.so" "$tmp"
  chmod "$(printf '%o' $((0777 & ~$(umask))))" "$tmp"
  mv -f "$tmp" "$out"
fi
echo "build_qemu_plugin: built $out (qemu-$version shim) from $qemu_src"
