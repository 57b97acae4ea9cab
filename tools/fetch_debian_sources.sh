#!/usr/bin/env bash
# Fetches the Debian sources listed in third_party/debian_sources.sha256,
# verifies their SHA-256 and unpacks each into
#   ${IOVACHECK_CACHE:-$HOME/.cache/iovacheck}/src/<unpack-dir>
# where Bazel's repository rule (third_party/debian_source.bzl) finds them.
# Two kinds of entry:
#   - a source package's orig tarball (QEMU): `apt-get source --download-only
#     --tar-only`, unpacked whole;
#   - a binary .deb that carries a tarball (linux-source-X.Y puts the kernel
#     at /usr/src/linux-source-X.Y.tar.xz): `apt-get download`, and only the
#     parts of the kernel iovacheck compiles or cites are unpacked
#     ($kernel_parts), which keeps the cache at ~55 MB a version instead of 1.4 GB.
#
# apt runs with a private configuration under the cache (its own sources.list,
# lists and archives); the machine's apt configuration is never read or
# changed. Idempotent: an unpacked tree whose stamp records the pinned hash is
# left alone without touching the network. A hash mismatch is an error (exit
# 1) and nothing is unpacked.
#
#   tools/fetch_debian_sources.sh [NAME...]   (default: every entry)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
table="$repo/third_party/debian_sources.sha256"
cache=${IOVACHECK_CACHE:-$HOME/.cache/iovacheck}
src_dir="$cache/src"
apt_dir="$cache/apt"
dl_dir="$cache/dl"

declare -a names specs tarballs hashes dirs
while read -r name spec tarball hash dir; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  names+=("$name") specs+=("$spec") tarballs+=("$tarball") hashes+=("$hash") dirs+=("$dir")
done < "$table"

wanted=("$@")
is_wanted() {
  ((${#wanted[@]} == 0)) && return 0
  local w
  for w in "${wanted[@]}"; do [[ "$w" == "$1" ]] && return 0; done
  return 1
}
for w in "${wanted[@]}"; do
  found=0
  for n in "${names[@]}"; do [[ "$n" == "$w" ]] && found=1; done
  ((found)) || { echo "fetch_debian_sources: unknown source $w (see $table)" >&2; exit 2; }
done

stamp_ok() { # index
  local stamp="$src_dir/${dirs[$1]}.stamp"
  [[ -d "$src_dir/${dirs[$1]}" && -f "$stamp" && "$(cat "$stamp")" == "${hashes[$1]}" ]]
}

todo=()
for i in "${!names[@]}"; do
  is_wanted "${names[$i]}" || continue
  if stamp_ok "$i"; then
    echo "fetch_debian_sources: ${names[$i]}: $src_dir/${dirs[$i]} is up to date"
  else
    todo+=("$i")
  fi
done
((${#todo[@]} == 0)) && exit 0

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
is_deb() { [[ "${tarballs[$1]}" == *.deb ]]; }

# What is unpacked of a kernel tree: the vhost and vDPA drivers, the rbtree the
# IOTLB is built on, the headers, and what names the version and licence.
kernel_parts=(drivers/vhost drivers/vdpa lib/rbtree.c include Makefile COPYING)

# unpack INDEX FILE TMPDIR: the tree ends up in TMPDIR/<unpack-dir>.
unpack() {
  local dir=${dirs[$1]}
  if ! is_deb "$1"; then
    tar -xf "$2" -C "$3"
    return
  fi
  local inner="./usr/src/$dir.tar.xz" parts=() p
  for p in "${kernel_parts[@]}"; do parts+=("$dir/$p"); done
  command -v dpkg-deb >/dev/null || { echo "fetch_debian_sources: dpkg-deb not found" >&2; return 1; }
  dpkg-deb --fsys-tarfile "$2" | tar -xO "$inner" | xz -dc | tar -x -C "$3" "${parts[@]}"
}

# Download what is missing or does not match, with a private apt.
need_download=()
for i in "${todo[@]}"; do
  f="$dl_dir/${tarballs[$i]}"
  if [[ ! -f "$f" || "$(sha_of "$f")" != "${hashes[$i]}" ]]; then
    need_download+=("$i")
  fi
done
if ((${#need_download[@]})); then
  command -v apt-get >/dev/null || { echo "fetch_debian_sources: apt-get not found" >&2; exit 1; }
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/none" "$dl_dir"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -f "$keyring" ]] || { echo "fetch_debian_sources: $keyring missing (apt-get install debian-archive-keyring)" >&2; exit 1; }
  cat > "$apt_dir/sources.list" <<LIST
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm-backports main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
LIST
  apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/none"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root"
  )
  echo "fetch_debian_sources: apt-get update (private configuration in $apt_dir)"
  apt-get "${apt_opts[@]}" update -q
  sources_to_get=() debs_to_get=()
  for i in "${need_download[@]}"; do
    if is_deb "$i"; then debs_to_get+=("${specs[$i]}"); else sources_to_get+=("${specs[$i]}"); fi
  done
  if ((${#sources_to_get[@]})); then
    (cd "$dl_dir" && apt-get "${apt_opts[@]}" source --download-only --tar-only "${sources_to_get[@]}")
  fi
  if ((${#debs_to_get[@]})); then
    (cd "$dl_dir" && apt-get "${apt_opts[@]}" download "${debs_to_get[@]}")
  fi
fi

status=0
for i in "${todo[@]}"; do
  f="$dl_dir/${tarballs[$i]}"
  if [[ ! -f "$f" ]]; then
    echo "fetch_debian_sources: ${names[$i]}: $f was not downloaded" >&2
    status=1
    continue
  fi
  got=$(sha_of "$f")
  if [[ "$got" != "${hashes[$i]}" ]]; then
    echo "fetch_debian_sources: ${names[$i]}: SHA-256 mismatch for $f" >&2
    echo "  expected ${hashes[$i]}" >&2
    echo "  got      $got" >&2
    echo "  nothing unpacked; delete the file to download it again" >&2
    status=1
    continue
  fi
  dest="$src_dir/${dirs[$i]}"
  tmp="$src_dir/.unpack-${dirs[$i]}.$$"
  rm -rf "$tmp" "$dest" "$dest.stamp"
  mkdir -p "$tmp"
  if ! unpack "$i" "$f" "$tmp"; then
    echo "fetch_debian_sources: ${names[$i]}: could not unpack $f" >&2
    rm -rf "$tmp"
    status=1
    continue
  fi
  if [[ ! -d "$tmp/${dirs[$i]}" ]]; then
    echo "fetch_debian_sources: ${names[$i]}: $f has no top directory ${dirs[$i]}" >&2
    rm -rf "$tmp"
    status=1
    continue
  fi
  mv "$tmp/${dirs[$i]}" "$dest"
  rm -rf "$tmp"
  echo "${hashes[$i]}" > "$dest.stamp"
  echo "fetch_debian_sources: ${names[$i]}: unpacked into $dest"
done
exit $status
