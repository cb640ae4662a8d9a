#!/usr/bin/env bash
# Runs before `npm test` (pretest); never needs root and never installs system packages.
# 1. Fails at once, in one line, when a system program the tests run is missing, naming the install command.
# 2. Builds what is missing of the cached Go peers (Consul, FerretDB, EdgeX's device-simple and edgex-dto,
#    kustomize, kubernetes-validate, KubeEdge's CRDs, kube-apiserver, kubectl and etcd) into ${EDGEX_TS_CACHE:-~/.cache/edgex-ts}; present ones
#    are reused. scripts/install-test-deps.sh installs both, once per machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=test-deps.sh
source "$here/test-deps.sh"
missing=()
while read -r program package; do missing+=("$program ($package)"); done < <(missing_test_programs)
if [ ${#missing[@]} -gt 0 ]; then
  list="$(printf '%s, ' "${missing[@]}")"
  echo "ensure-test-deps: missing ${list%, }; install them once with: bash scripts/install-test-deps.sh (uses sudo), or run only the tests that need no servers: npm run test:unit" >&2
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  # Without Go, what is already built is used as it is.
  bin="${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}/bin"
  unbuilt=()
  for b in consul ferretdb device-simple edgex-dto kustomize kube-apiserver kubectl etcd; do [ -x "$bin/$b" ] || unbuilt+=("$b"); done
  if [ ${#unbuilt[@]} -gt 0 ]; then
    echo "ensure-test-deps: missing go (Go 1.22+) to build ${unbuilt[*]}; install it from https://go.dev/dl/ (Debian's is too old), then: bash scripts/install-test-deps.sh" >&2
    exit 1
  fi
  echo "ensure-test-deps: go not found; using the programs already built in $bin"
  exit 0
fi

bash "$here/install-test-servers.sh" all || echo "ensure-test-deps: could not build consul/ferretdb (above); their tests will fail" >&2
bash "$here/install-test-servers.sh" edgex || echo "ensure-test-deps: could not build EdgeX's Go peers (above); test/edgex/ will fail" >&2
bash "$here/install-test-servers.sh" deploy-tools || echo "ensure-test-deps: could not install the deployment tools (above); test/deploy/ will fail" >&2
bash "$here/install-test-servers.sh" kube || echo "ensure-test-deps: could not build kube-apiserver/kubectl/etcd or fetch KubeEdge's CRDs (above); test/deploy/k8s-apply.test.ts will fail" >&2
