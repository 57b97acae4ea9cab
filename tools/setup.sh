#!/usr/bin/env bash
# Installs every Debian package iovacheck's build and tests need, then fetches
# the Debian sources the QEMU plug-ins build from (tools/fetch_debian_sources.sh).
# Idempotent: when everything is present it only runs dpkg-query and checks
# the sources' stamps.
set -euo pipefail

packages=(
  bazel-bootstrap      # Bazel 4.2.3, WORKSPACE mode (offline)
  bazel-rules-java     # rules_java override for Bazel's own tools
  bazel-platforms      # @platforms override
  g++
  librapidcheck-dev    # property tests (rapidcheck/state.h, rapidcheck/gtest.h)
  libgtest-dev
  libgmock-dev
  libabsl-dev          # btree_map, Status, StrFormat, flags
  libprotobuf-dev      # trace schema runtime
  protobuf-compiler    # protoc, run by a genrule
  libbenchmark-dev     # bench/
  libglib2.0-dev       # QEMU's IOVA trees (third_party/qemu)
  pkg-config           # GLib's flags, for Bazel and tools/build_qemu_plugin.sh
  xz-utils             # Debian's .orig.tar.xz source tarballs
  patch                # applies our proposed QEMU fixes (third_party/qemu/patches)
  debian-archive-keyring  # verifies the source index tools/fetch_debian_sources.sh reads
  slurmctld            # a private single-node Slurm for tools/slurm's test
  slurmd               #   (its own config, ports and state; no service is started)
  slurm-client         #   sbatch, sinfo
  munge                #   Slurm's authentication, a private munged
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --packages-only: a remote-execution worker's image, whose actions get the
# Debian sources as inputs (README, "Simulation").
if [[ "${1:-}" == "--packages-only" ]]; then
  echo "setup: done (packages only)"
  exit 0
fi

# QEMU's sources for third_party/qemu, verified against their pinned SHA-256
# (third_party/debian_sources.sha256); quick when already unpacked.
"$(dirname "${BASH_SOURCE[0]}")/fetch_debian_sources.sh"
echo "setup: done"
