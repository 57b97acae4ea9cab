#!/usr/bin/env bash
# Installs every Debian package iovacheck's build and tests need.
# Idempotent: when everything is present it only runs dpkg-query and exits.
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
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
