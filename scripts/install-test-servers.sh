#!/usr/bin/env bash
# Builds the real servers the Consul and MongoDB tests run against, when they are missing:
#   consul   (HashiCorp Consul, built from source through a throw-away wrapper module)
#   ferretdb (FerretDB v1, a MongoDB wire-protocol server; the tests use its SQLite handler)
#   edgex    EdgeX's own Go code for the conformance tests (test/edgex/): the example device service
#            `device-simple` of device-sdk-go (with its res/ folder) and a vector tool built on
#            go-mod-core-contracts' DTO types (test/edgex/go-dto) -> $BIN/device-simple, $BIN/edgex-dto
# Neither has a Debian package; both build with Go through the Go module proxy.
# `deploy-tools` installs what the manifest tests (test/deploy/) need:
#   kustomize            built with Go from sigs.k8s.io/kustomize/kustomize/v5 -> $BIN/kustomize
#   kubernetes-validate  from PyPI with pip --target (it bundles the Kubernetes JSON schemas)
#                        -> $CACHE/python/kubernetes-validate (PYTHONPATH)
#   KubeEdge CRDs        build/crds/devices/*.yaml from the Go module github.com/kubeedge/kubeedge
#                        -> $CACHE/kubeedge-crds/
# `kube` builds a real Kubernetes API server for test/deploy/k8s-apply.test.ts (applies k8s/ for real):
#   kube-apiserver, kubectl  from k8s.io/kubernetes (a wrapper module replacing its staging modules with
#                            the published v0.x versions)                -> $BIN/kube-apiserver, $BIN/kubectl
#   etcd                     go.etcd.io/etcd/server/v3 (3.6: Debian's 3.4 breaks watches) -> $BIN/etcd
#   KubeEdge device CRDs     build/crds/devices/*.yaml of github.com/kubeedge/kubeedge at each of
#                            $KUBEEDGE_CRD_VERSIONS (github.com/kubeedge/api holds only the Go types)
#                            -> $CACHE/kubeedge-crds-by-version/<version>/
# Binaries go to ${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}/bin and are reused by later runs.
# Builds run under `nice -n 19` so they do not disturb other work on the machine.
set -euo pipefail

CACHE="${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}"
BIN="$CACHE/bin"
CONSUL_VERSION="${EDGEX_TS_CONSUL_VERSION:-v1.20.6}"
FERRETDB_VERSIONS=(${EDGEX_TS_FERRETDB_VERSION:-v1.24.2 v1.24.1})
KUSTOMIZE_VERSION="${EDGEX_TS_KUSTOMIZE_VERSION:-v5.7.1}"
KUBERNETES_VALIDATE_VERSION="${EDGEX_TS_KUBERNETES_VALIDATE_VERSION:-1.34.1}"
# The module proxy here serves only some KubeEdge tags (v1.23.0 and v1.20.0, not v1.21/v1.22).
KUBEEDGE_VERSION="${EDGEX_TS_KUBEEDGE_VERSION:-v1.23.0}"
DEVICE_SDK_GO_VERSION="${EDGEX_TS_DEVICE_SDK_GO_VERSION:-v4.0.2}"
KUBERNETES_VERSION="${EDGEX_TS_KUBERNETES_VERSION:-v1.34.4}"
ETCD_VERSION="${EDGEX_TS_ETCD_VERSION:-v3.6.17}"
# KubeEdge's Device/DeviceModel CRDs the apply test installs, oldest and newest the docs promise.
KUBEEDGE_CRD_VERSIONS=(${EDGEX_TS_KUBEEDGE_CRD_VERSIONS:-v1.20.0 v1.23.0})
mkdir -p "$BIN"

log() { echo "install-test-servers: $*"; }

if ! command -v go >/dev/null 2>&1; then
  log "Go is not installed; cannot build consul/ferretdb (install Go 1.22+ and re-run $0)" >&2
  exit 1
fi

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0

build_consul() {
  if [ -x "$BIN/consul" ]; then
    log "consul present: $("$BIN/consul" version | head -1) ($BIN/consul)"
    return 0
  fi
  log "building consul $CONSUL_VERSION (takes several minutes) ..."
  local work
  work="$(mktemp -d)"
  # Functions called as `f || x` run without `set -e`, so every step checks its own status.
  if ! (
    set -e
    cd "$work"
    go mod init edgex-ts.local/consul-build >/dev/null 2>&1
    # Consul's own go.mod excludes these go-msgpack versions; a wrapper module must repeat that.
    printf '\nexclude github.com/hashicorp/go-msgpack v1.1.5\n\nexclude github.com/hashicorp/go-msgpack v1.1.6\n' >>go.mod
    log "consul: resolving modules"
    # Consul v1.20.4+ pins consul-awsauth v0.0.0-20250130185352-0a5f57fe920a, which the checksum database
    # (as served through the module proxy here) does not know: 404. Skip sumdb for that one module only.
    GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/hashicorp/consul-awsauth" \
      nice -n 19 go get -tool "github.com/hashicorp/consul@$CONSUL_VERSION"
    log "consul: compiling"
    nice -n 19 go build -o "$BIN/consul.tmp" github.com/hashicorp/consul
  ); then
    rm -rf "$work" "$BIN/consul.tmp"
    log "consul $CONSUL_VERSION failed to build (see the go output above)" >&2
    return 1
  fi
  mv "$BIN/consul.tmp" "$BIN/consul"
  rm -rf "$work"
  log "consul installed: $("$BIN/consul" version | head -1)"
}

build_ferretdb() {
  if [ -x "$BIN/ferretdb" ]; then
    log "ferretdb present: $BIN/ferretdb"
    return 0
  fi
  local v work
  for v in "${FERRETDB_VERSIONS[@]}"; do
    log "building ferretdb $v (takes a few minutes) ..."
    work="$(mktemp -d)"
    # A wrapper module rather than `go install pkg@version`: the proxy here refuses the module's version
    # list (403), which `go install` reads to check for deprecation, while it serves the versions themselves.
    if (
      set -e
      cd "$work"
      go mod init edgex-ts.local/ferretdb-build >/dev/null 2>&1
      log "ferretdb: resolving modules"
      nice -n 19 go get -tool "github.com/FerretDB/FerretDB/cmd/ferretdb@$v"
      # The module zip lacks build/version/version.txt (made by FerretDB's own build task), and the binary
      # panics at start without it; build from a local copy of the module that has it.
      cp -r "$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)" ferretdb-src
      chmod -R u+w ferretdb-src
      echo "$v" >ferretdb-src/build/version/version.txt
      go mod edit -replace github.com/FerretDB/FerretDB=./ferretdb-src
      log "ferretdb: compiling"
      nice -n 19 go build -o "$BIN/ferretdb.tmp" github.com/FerretDB/FerretDB/cmd/ferretdb
    ); then
      if ! "$BIN/ferretdb.tmp" --version >/dev/null 2>&1; then
        log "ferretdb $v was built but does not run: $("$BIN/ferretdb.tmp" --version 2>&1 | head -3)" >&2
        rm -rf "$work" "$BIN/ferretdb.tmp"
        continue
      fi
      mv "$BIN/ferretdb.tmp" "$BIN/ferretdb"
      rm -rf "$work"
      log "ferretdb installed: $("$BIN/ferretdb" --version 2>/dev/null | head -1)"
      return 0
    fi
    rm -rf "$work" "$BIN/ferretdb.tmp"
    log "ferretdb $v failed to build; trying the next version"
  done
  log "could not build ferretdb (${FERRETDB_VERSIONS[*]})" >&2
  return 1
}

build_kustomize() {
  if [ -x "$BIN/kustomize" ] && "$BIN/kustomize" version 2>/dev/null | grep -q "$KUSTOMIZE_VERSION"; then
    log "kustomize present: $("$BIN/kustomize" version) ($BIN/kustomize)"
    return 0
  fi
  log "building kustomize $KUSTOMIZE_VERSION (takes a minute or two) ..."
  local work
  work="$(mktemp -d)"
  # A wrapper module, as for ferretdb: `go install pkg@version` would read the module's version list.
  # -ldflags sets the version `kustomize version` prints (its release build does the same).
  if ! (
    set -e
    cd "$work"
    go mod init edgex-ts.local/kustomize-build >/dev/null 2>&1
    nice -n 19 go get -tool "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
    nice -n 19 go build -ldflags "-X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION" \
      -o "$BIN/kustomize.tmp" sigs.k8s.io/kustomize/kustomize/v5
  ); then
    rm -rf "$work" "$BIN/kustomize.tmp"
    log "kustomize $KUSTOMIZE_VERSION failed to build (see the go output above)" >&2
    return 1
  fi
  mv "$BIN/kustomize.tmp" "$BIN/kustomize"
  rm -rf "$work"
  log "kustomize installed: $("$BIN/kustomize" version)"
}

install_kubernetes_validate() {
  local dir="$CACHE/python/kubernetes-validate" stamp py
  py="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || {
    log "python3 is missing; cannot install kubernetes-validate" >&2; return 1; }
  # Installed for one python3 (jsonschema pulls in rpds-py, a compiled wheel): the stamp names both.
  stamp="kubernetes-validate $KUBERNETES_VALIDATE_VERSION python $py"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
    log "kubernetes-validate present: $stamp ($dir)"
    return 0
  fi
  log "installing $stamp with pip into $dir ..."
  rm -rf "$dir.tmp"
  local extra=()
  # Debian's pip refuses to install outside a virtualenv (PEP 668) unless told; --target touches nothing else.
  if python3 -m pip install --help 2>/dev/null | grep -q -- --break-system-packages; then extra+=(--break-system-packages); fi
  if ! PIP_ROOT_USER_ACTION=ignore nice -n 10 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      "${extra[@]}" --target "$dir.tmp" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"; then
    rm -rf "$dir.tmp"
    log "pip could not install kubernetes-validate (python3 -m pip missing? Debian: apt-get install python3-pip)" >&2
    return 1
  fi
  echo "$stamp" >"$dir.tmp/.stamp"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  log "kubernetes-validate installed: $stamp"
}

fetch_kubeedge_crds() {
  local dir="$CACHE/kubeedge-crds" src
  if [ -f "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$KUBEEDGE_VERSION" ]; then
    log "KubeEdge CRDs present: $KUBEEDGE_VERSION ($dir)"
    return 0
  fi
  log "fetching the KubeEdge $KUBEEDGE_VERSION module for its device CRDs ..."
  # -json prints the module's extracted directory; outside a module `go mod download mod@version` still works.
  if ! src="$(cd "$CACHE" && nice -n 10 go mod download -json "github.com/kubeedge/kubeedge@$KUBEEDGE_VERSION" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || [ -z "$src" ] || [ ! -d "$src/build/crds/devices" ]; then
    log "could not download github.com/kubeedge/kubeedge@$KUBEEDGE_VERSION from the Go module proxy" >&2
    return 1
  fi
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  cp "$src"/build/crds/devices/*.yaml "$dir.tmp/"
  chmod -R u+w "$dir.tmp"
  echo "$KUBEEDGE_VERSION" >"$dir.tmp/VERSION"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  log "KubeEdge CRDs installed: $(cd "$dir" && ls *.yaml | tr '\n' ' ')"
}

build_device_simple() {
  local stamp="device-sdk-go $DEVICE_SDK_GO_VERSION"
  if [ -x "$BIN/device-simple" ] && [ -f "$CACHE/device-simple/.stamp" ] && [ "$(cat "$CACHE/device-simple/.stamp")" = "$stamp" ]; then
    log "device-simple present: $stamp ($BIN/device-simple)"
    return 0
  fi
  log "building EdgeX's device-simple ($stamp; takes several minutes) ..."
  local work
  work="$(mktemp -d)"
  # A wrapper module, as for ferretdb: the proxy serves the version but refuses the module's version list.
  if ! (
    set -e
    cd "$work"
    go mod init edgex-ts.local/device-simple-build >/dev/null 2>&1
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/edgexfoundry/device-sdk-go/v4/example/cmd/device-simple"\n' >tools.go
    nice -n 19 go get "github.com/edgexfoundry/device-sdk-go/v4@$DEVICE_SDK_GO_VERSION"
    nice -n 19 go mod tidy
    nice -n 19 go build -ldflags "-s -w" -o "$BIN/device-simple.tmp" github.com/edgexfoundry/device-sdk-go/v4/example/cmd/device-simple
    # Its res/ folder (profiles, devices, provision watchers, configuration) is only in the module cache.
    rm -rf "$CACHE/device-simple.tmp"
    mkdir -p "$CACHE/device-simple.tmp"
    cp -r "$(go list -m -f '{{.Dir}}' github.com/edgexfoundry/device-sdk-go/v4)/example/cmd/device-simple/res" "$CACHE/device-simple.tmp/res"
    chmod -R u+w "$CACHE/device-simple.tmp"
  ); then
    rm -rf "$work" "$BIN/device-simple.tmp" "$CACHE/device-simple.tmp"
    log "device-simple failed to build (see the go output above)" >&2
    return 1
  fi
  echo "$stamp" >"$CACHE/device-simple.tmp/.stamp"
  rm -rf "$CACHE/device-simple"
  mv "$CACHE/device-simple.tmp" "$CACHE/device-simple"
  mv "$BIN/device-simple.tmp" "$BIN/device-simple"
  rm -rf "$work"
  log "device-simple installed: $stamp"
}

# EdgeX's DTO types (go-mod-core-contracts) in a small program of ours (test/edgex/go-dto): rebuilt when
# its sources change (the stamp holds a hash of them).
build_edgex_dto() {
  local src stamp
  src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../test/edgex/go-dto" && pwd)"
  stamp="edgex-dto $(cd "$src" && cat go.mod go.sum *.go | sha256sum | cut -d' ' -f1)"
  if [ -x "$BIN/edgex-dto" ] && [ -f "$CACHE/edgex-dto.stamp" ] && [ "$(cat "$CACHE/edgex-dto.stamp")" = "$stamp" ]; then
    log "edgex-dto present: $stamp ($BIN/edgex-dto)"
    return 0
  fi
  log "building edgex-dto (EdgeX's DTO vectors and checks) ..."
  local work tmp
  work="$(mktemp -d)"
  # Its own output name: two test files may build it at once (dto-vectors, support-dto); mv is atomic.
  tmp="$BIN/edgex-dto.tmp.$$"
  # Built from a copy: -mod=mod may touch go.mod/go.sum, which stay as committed in the tree.
  if ! (
    set -e
    cp "$src"/go.mod "$src"/go.sum "$src"/*.go "$work"/
    cd "$work"
    GOFLAGS="$GOFLAGS -mod=mod" nice -n 19 go build -o "$tmp" .
  ); then
    rm -rf "$work" "$tmp"
    log "edgex-dto failed to build (see the go output above)" >&2
    return 1
  fi
  mv "$tmp" "$BIN/edgex-dto"
  echo "$stamp" >"$CACHE/edgex-dto.stamp"
  rm -rf "$work"
  log "edgex-dto installed: $stamp"
}

# kube-apiserver and kubectl at $KUBERNETES_VERSION; $CACHE/kube.stamp names the version they were built at.
build_kube_binaries() {
  local stamp="kubernetes $KUBERNETES_VERSION" minor staging
  if [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kubectl" ] && [ -f "$CACHE/kube.stamp" ] && [ "$(cat "$CACHE/kube.stamp")" = "$stamp" ]; then
    log "kube-apiserver, kubectl present: $stamp ($BIN)"
    return 0
  fi
  log "building kube-apiserver and kubectl $KUBERNETES_VERSION (takes 5-15 minutes) ..."
  minor="$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
  # The staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>.
  staging="v0.${KUBERNETES_VERSION#v1.}"
  local work
  work="$(mktemp -d)"
  if ! (
    set -e
    cd "$work"
    # k8s.io/kubernetes replaces its staging modules with ./staging paths, which a module zip cannot use:
    # a wrapper module replaces each with the published version.
    gomod="$(nice -n 10 go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    [ -n "$gomod" ] && [ -f "$gomod" ]
    printf 'module edgex-ts.local/kube-build\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$KUBERNETES_VERSION" >go.mod
    grep '=> ./staging' "$gomod" | awk -v v="$staging" '{print "\t"$1" => "$1" "v}' >>go.mod
    echo ')' >>go.mod
    printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kubectl"\n)\n' >tools.go
    ldf="-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1"
    ldf="$ldf -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
    log "kube: compiling kube-apiserver"
    GOFLAGS="$GOFLAGS -mod=mod" nice -n 19 go build -ldflags "$ldf" -o "$BIN/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
    log "kube: compiling kubectl"
    GOFLAGS="$GOFLAGS -mod=mod" nice -n 19 go build -ldflags "$ldf" -o "$BIN/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl
  ); then
    rm -rf "$work" "$BIN/kube-apiserver.tmp" "$BIN/kubectl.tmp"
    log "kube-apiserver/kubectl $KUBERNETES_VERSION failed to build (see the go output above)" >&2
    return 1
  fi
  mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
  mv "$BIN/kubectl.tmp" "$BIN/kubectl"
  echo "$stamp" >"$CACHE/kube.stamp"
  rm -rf "$work"
  log "kube-apiserver, kubectl installed: $("$BIN/kubectl" version --client 2>/dev/null | head -1)"
}

build_etcd() {
  local stamp="etcd $ETCD_VERSION"
  if [ -x "$BIN/etcd" ] && [ -f "$CACHE/etcd.stamp" ] && [ "$(cat "$CACHE/etcd.stamp")" = "$stamp" ]; then
    log "etcd present: $stamp ($BIN/etcd)"
    return 0
  fi
  log "building etcd $ETCD_VERSION (takes a minute or two) ..."
  local work
  work="$(mktemp -d)"
  # Its server module has replaces too: a wrapper module that requires the exact version.
  if ! (
    set -e
    cd "$work"
    printf 'module edgex-ts.local/etcd-build\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
    GOFLAGS="$GOFLAGS -mod=mod" nice -n 19 go build -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3
  ); then
    rm -rf "$work" "$BIN/etcd.tmp"
    log "etcd $ETCD_VERSION failed to build (see the go output above)" >&2
    return 1
  fi
  mv "$BIN/etcd.tmp" "$BIN/etcd"
  echo "$stamp" >"$CACHE/etcd.stamp"
  rm -rf "$work"
  log "etcd installed: $stamp"
}

# KubeEdge's device CRDs of each version the apply test installs, one folder per version.
fetch_kubeedge_crd_versions() {
  local v dir src status=0
  for v in "${KUBEEDGE_CRD_VERSIONS[@]}"; do
    dir="$CACHE/kubeedge-crds-by-version/$v"
    if [ -f "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$v" ]; then
      log "KubeEdge CRDs present: $v ($dir)"
      continue
    fi
    log "fetching the KubeEdge $v module for its device CRDs ..."
    if ! src="$(cd "$CACHE" && nice -n 10 go mod download -json "github.com/kubeedge/kubeedge@$v" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || [ -z "$src" ] || [ ! -d "$src/build/crds/devices" ]; then
      log "could not download github.com/kubeedge/kubeedge@$v from the Go module proxy" >&2
      status=1
      continue
    fi
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    cp "$src"/build/crds/devices/*.yaml "$dir.tmp/"
    chmod -R u+w "$dir.tmp"
    echo "$v" >"$dir.tmp/VERSION"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
    log "KubeEdge CRDs installed: $v: $(cd "$dir" && ls *.yaml | tr '\n' ' ')"
  done
  return $status
}

want="${1:-all}"
status=0
case "$want" in
  consul) build_consul || status=1 ;;
  ferretdb) build_ferretdb || status=1 ;;
  all) build_consul || status=1; build_ferretdb || status=1 ;;
  edgex) build_device_simple || status=1; build_edgex_dto || status=1 ;;
  edgex-dto) build_edgex_dto || status=1 ;;
  kustomize) build_kustomize || status=1 ;;
  deploy-tools) build_kustomize || status=1; install_kubernetes_validate || status=1; fetch_kubeedge_crds || status=1 ;;
  kube) build_etcd || status=1; fetch_kubeedge_crd_versions || status=1; build_kube_binaries || status=1 ;;
  *) log "usage: $0 [consul|ferretdb|all|edgex|edgex-dto|kustomize|deploy-tools|kube]" >&2; exit 2 ;;
esac
exit $status
