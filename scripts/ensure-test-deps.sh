#!/usr/bin/env bash
# Installs the real servers the tests run against when they are missing (Debian packages).
# Runs as part of `npm test`; needs root (or sudo) the first time on a fresh machine.
set -euo pipefail

# Consul and FerretDB (MongoDB wire protocol) have no Debian package: built with Go, cached across runs.
bash "$(dirname "$0")/install-test-servers.sh" all || echo "ensure-test-deps: could not build consul/ferretdb (above); their test suites will fail" >&2
# EdgeX's own Go code for the conformance tests in test/edgex/ (device-simple, the DTO vector tool).
bash "$(dirname "$0")/install-test-servers.sh" edgex || echo "ensure-test-deps: could not build EdgeX's Go peers (above); test/edgex/ will fail" >&2

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
# Debian's python3-pymodbus: the independent Modbus TCP server of device-modbus's tests (system python3).
[ -d /usr/lib/python3/dist-packages/pymodbus ] || need+=(python3-pymodbus)
# Net-SNMP's agent (device-snmp's peer) and its command-line tools (snmptrap sends the traps under test).
[ -x /usr/sbin/snmpd ] || need+=(snmpd)
command -v snmptrap >/dev/null 2>&1 || need+=(snmp)
# A Docker engine and docker-compose for the deployment tests (the tests start dockerd when none runs).
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# pip, to install kubernetes-validate (the Kubernetes JSON schemas) for the manifest tests in test/deploy/.
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)

deploy_tools() {
  # kustomize (Go), kubernetes-validate (PyPI) and KubeEdge's device CRDs (Go module), cached.
  bash "$(dirname "$0")/install-test-servers.sh" deploy-tools ||
    echo "ensure-test-deps: could not install the deployment tools (above); test/deploy/ will fail" >&2
}

if [ ${#need[@]} -eq 0 ]; then
  deploy_tools
  exit 0
fi
echo "ensure-test-deps: installing ${need[*]} with apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-test-deps: need root to install ${need[*]} (apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}"
# The Debian package starts a system-wide broker on 1883; the tests start their own on free ports,
# and the all-in-one wants 1883 for its embedded broker.
$SUDO systemctl disable --now mosquitto >/dev/null 2>&1 || $SUDO service mosquitto stop >/dev/null 2>&1 || true
$SUDO systemctl disable --now snmpd >/dev/null 2>&1 || $SUDO service snmpd stop >/dev/null 2>&1 || true
deploy_tools
