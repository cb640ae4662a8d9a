#!/usr/bin/env bash
# Builds the real servers the Consul and MongoDB tests run against, when they are missing:
#   consul   (HashiCorp Consul, built from source through a throw-away wrapper module)
#   ferretdb (FerretDB v1, a MongoDB wire-protocol server; the tests use its SQLite handler)
# Neither has a Debian package; both build with Go through the Go module proxy.
# Binaries go to ${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}/bin and are reused by later runs.
# Builds run under `nice -n 19` so they do not disturb other work on the machine.
set -euo pipefail

CACHE="${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}"
BIN="$CACHE/bin"
CONSUL_VERSION="${EDGEX_TS_CONSUL_VERSION:-v1.20.6}"
FERRETDB_VERSIONS=(${EDGEX_TS_FERRETDB_VERSION:-v1.24.2 v1.24.1})
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

want="${1:-all}"
status=0
case "$want" in
  consul) build_consul || status=1 ;;
  ferretdb) build_ferretdb || status=1 ;;
  all) build_consul || status=1; build_ferretdb || status=1 ;;
  *) log "usage: $0 [consul|ferretdb|all]" >&2; exit 2 ;;
esac
exit $status
