# Shared by the image scripts in scripts/docker: small images made from this machine's own binaries with
# `docker import`, for machines that cannot reach an image registry (the deployment tests).
# Source it; it defines functions only.

log() { echo "${LOG_PREFIX:-docker}: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# rootfs_add_binary <rootfs> <binary> [<path in the image>]
# Copies a binary (symlinks resolved) and every shared library ldd names, at the paths ldd names them, so the
# dynamic loader finds them in the image as on this machine. Static binaries bring no libraries.
rootfs_add_binary() {
  local rootfs=$1 src dest=${3:-$2} lib
  src=$(readlink -f "$2") || die "no such binary: $2"
  [ -x "$src" ] || die "not an executable: $2"
  install -D -m 0755 "$src" "$rootfs$dest"
  while read -r lib; do
    [ -e "$rootfs$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done < <({ ldd "$src" 2>/dev/null || true; } | grep -o '/[^ ]*' || true)
}

# import_rootfs <tag> <rootfs> [<docker import --change instruction>...]
# Imports the folder as image <tag>, unless <tag> already holds exactly this content and these instructions
# (compared through the label edgex-ts.content-hash), so repeated runs cost a tar and a checksum only.
import_rootfs() {
  local tag=$1 rootfs=$2
  shift 2
  local tarball hash existing previous change
  local -a args=()
  tarball=$(mktemp "${TMPDIR:-/tmp}/edgex-ts-rootfs.XXXXXX.tar")
  # A byte-stable archive (sorted names, fixed times and owners) so that equal content gives an equal hash.
  tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner -cf "$tarball" .
  hash=$({ sha256sum <"$tarball"; printf '%s\n' "$@"; } | sha256sum | cut -c1-16)
  existing=$(docker image inspect --format '{{ index .Config.Labels "edgex-ts.content-hash" }}' "$tag" 2>/dev/null || true)
  if [ "$existing" = "$hash" ]; then
    log "$tag is up to date (content $hash)"
    rm -f "$tarball"
    return 0
  fi
  previous=$(docker image inspect --format '{{ .Id }}' "$tag" 2>/dev/null || true)
  for change in "$@" "LABEL edgex-ts.content-hash=$hash"; do args+=(--change "$change"); done
  log "importing $tag ($(du -h "$tarball" | cut -f1), content $hash)"
  docker import "${args[@]}" "$tarball" "$tag" >/dev/null
  rm -f "$tarball"
  # The image the tag held before is now untagged; drop it unless something still uses it.
  if [ -n "$previous" ]; then docker image rm "$previous" >/dev/null 2>&1 || true; fi
}
