#!/usr/bin/env bash
# Builds a Node base image from this machine's own Node runtime: the node binary and the shared libraries it
# links, nothing else (no shell, no package manager). For building the edgex-ts images where no image
# registry is reachable (the deployment tests): pass the tag it prints as BASE_IMAGE and BUILDER_IMAGE, which
# `scripts/docker/build-images.sh --host-workspace` does. The workspace's native addons (better-sqlite3) were
# built for this very Node, so they load in the image.
#
#   scripts/docker/base-image.sh            prints the tag, e.g. edgex-ts-local/node:20.20.2
#
# The image is rebuilt only when the node binary or its libraries change.
set -euo pipefail
LOG_PREFIX=base-image
source "$(dirname "$0")/lib.sh"

command -v node >/dev/null 2>&1 || die "node is not on PATH"
version=$(node -p 'process.versions.node')
tag="edgex-ts-local/node:$version"

rootfs=$(mktemp -d "${TMPDIR:-/tmp}/edgex-ts-base.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
rootfs_add_binary "$rootfs" "$(command -v node)" /usr/local/bin/node
install -d -m 1777 "$rootfs/tmp"
install -d -m 0755 "$rootfs/etc"
printf 'root:x:0:0:root:/root:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"

import_rootfs "$tag" "$rootfs" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'CMD ["node"]'
echo "$tag"
