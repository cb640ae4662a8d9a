#!/usr/bin/env bash
# Builds the edgex-ts container images from the Dockerfile at the repository root:
#   edgex-ts/<service>:<version>   one per folder in services/ (with a package.json)
#   edgex-ts/all-in-one:<version>  every service in one process
# <version> is the root package.json's version.
#
#   scripts/docker/build-images.sh                    from source: npm ci and npm run build inside the build
#                                                     stage (node:20-bookworm); needs a registry and the npm registry
#   scripts/docker/build-images.sh --host-workspace   from this machine's installed and built workspace
#                                                     (npm install && npm run build first), on a base image made
#                                                     from this machine's Node (base-image.sh): no network, no
#                                                     registry; repeated runs on an unchanged workspace are cache hits
#   scripts/docker/build-images.sh --list             prints "<name> <image>" for every image, builds nothing
#
# Options: --base-image IMAGE, --builder-image IMAGE (the Dockerfile's BASE_IMAGE and BUILDER_IMAGE; with
# --host-workspace the builder is the staged workspace and the base defaults to base-image.sh's).
set -euo pipefail
LOG_PREFIX=build-images
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$here/lib.sh"

list=false host_workspace=false base_image="" builder_image=""
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=true ;;
    --host-workspace) host_workspace=true ;;
    --base-image) base_image=${2:?--base-image needs an image}; shift ;;
    --builder-image) builder_image=${2:?--builder-image needs an image}; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

version=$(node -p "require('$repo/package.json').version")
services=()
for dir in "$repo"/services/*/; do
  [ -f "$dir/package.json" ] && services+=("$(basename "$dir")")
done
[ ${#services[@]} -gt 0 ] || die "no services found in $repo/services"
names=("${services[@]}" all-in-one)

if $list; then
  for name in "${names[@]}"; do echo "$name edgex-ts/$name:$version"; done
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker is not installed"
docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed)"

context="$repo"
if $host_workspace; then
  if [ -z "$base_image" ]; then base_image=$("$here/base-image.sh"); fi
  # The build stage runs on an image that already holds the runtime tree staged from this workspace in
  # /src/.docker-staged (so build-workspace.mjs compiles nothing), and the context holds only that script.
  # Both are byte-stable for an unchanged workspace, so the builds after the first are cache hits.
  [ -z "$builder_image" ] || die "--builder-image does not go with --host-workspace (the builder is the staged workspace)"
  work=$(mktemp -d "${TMPDIR:-/tmp}/edgex-ts-image-context.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "staging the installed and built workspace $repo"
  node "$here/runtime-tree.mjs" "$repo" "$work/rootfs/src/.docker-staged"
  rootfs_add_binary "$work/rootfs" "$(command -v node)" /usr/local/bin/node
  builder_image="edgex-ts-local/workspace:$version"
  import_rootfs "$builder_image" "$work/rootfs" 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  context="$work/context"
  install -D -m 0644 "$here/build-workspace.mjs" "$context/scripts/docker/build-workspace.mjs"
  find "$context" -exec touch -h -d @0 {} +
fi

args=(-f "$repo/Dockerfile")
[ -n "$base_image" ] && args+=(--build-arg "BASE_IMAGE=$base_image")
[ -n "$builder_image" ] && args+=(--build-arg "BUILDER_IMAGE=$builder_image")

started=$SECONDS
for name in "${names[@]}"; do
  tag="edgex-ts/$name:$version"
  if [ "$name" = all-in-one ]; then
    target=(--target all-in-one)
  else
    target=(--target service --build-arg "SERVICE=$name")
  fi
  log "building $tag"
  docker build -q --force-rm "${args[@]}" "${target[@]}" -t "$tag" "$context" >/dev/null || die "docker build of $tag failed (output above)"
done
if $host_workspace; then
  # Images of earlier workspaces that these builds untagged (recognised by the label of the imported images).
  docker image prune -f --filter label=edgex-ts.content-hash >/dev/null
fi
log "built ${#names[@]} images in $((SECONDS - started)) s: ${names[*]}"
