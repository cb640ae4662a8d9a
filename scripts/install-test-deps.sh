#!/usr/bin/env bash
# Installs, once per machine, the real servers and tools the full test suite (`npm test`) runs against.
#   bash scripts/install-test-deps.sh        as yourself: apt-get and systemctl run through sudo
#   sudo bash scripts/install-test-deps.sh   also fine: the Go builds still go to your own cache
# 1. Debian packages (root): mosquitto, mosquitto-clients, python3-pymodbus, python3-aiosmtpd, snmpd, snmp, docker.io,
#    docker-compose, python3-pip; the system-wide mosquitto and snmpd the packages start are stopped and
#    disabled (the tests start their own on free ports; the all-in-one wants 1883 for its embedded broker).
# 2. Builds with Go into ${EDGEX_TS_CACHE:-~/.cache/edgex-ts} (no root): Consul, FerretDB, EdgeX's
#    device-simple and edgex-dto, kustomize, kubernetes-validate, KubeEdge's CRDs, kube-apiserver, kubectl and
#    etcd (install-test-servers.sh).
# Re-running it is cheap: present packages and cached builds are skipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "install-test-deps: $*"; }

# shellcheck source=test-deps.sh
source "$here/test-deps.sh"
need=()
while read -r program package; do need+=("$package"); done < <(missing_test_programs)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root to run: apt-get install -y ${need[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  # One package can provide several programs (docker.io: dockerd); install each once.
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  log "installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  for unit in mosquitto snmpd; do
    $SUDO systemctl disable --now "$unit" >/dev/null 2>&1 || $SUDO service "$unit" stop >/dev/null 2>&1 || true
  done
else
  log "Debian packages present"
fi

# The cached builds belong to the developer, not to root: under sudo they run as the user who called it.
as_user=()
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  as_user=(sudo -u "$SUDO_USER" -H env "PATH=$PATH")
fi
status=0
for what in all edgex deploy-tools kube; do
  "${as_user[@]}" bash "$here/install-test-servers.sh" "$what" || status=1
done
[ $status -eq 0 ] || log "some builds failed (above); the tests that need them will fail naming what is missing" >&2
exit $status
