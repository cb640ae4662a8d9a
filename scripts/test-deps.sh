# The system programs the full test suite runs, and the Debian package of each (sourced by
# ensure-test-deps.sh, which checks, and install-test-deps.sh, which installs).
# missing_test_programs prints one line "<program> <debian package>" per program not installed.
missing_test_programs() {
  local program package found
  while read -r program package found; do
    case "$program" in '' | '#'*) continue ;; esac
    eval "$found" >/dev/null 2>&1 || echo "$program $package"
  done <<'EOF'
# program         package            installed when
# The MQTT broker of every bus test, and its command-line client.
mosquitto         mosquitto          command -v mosquitto || [ -x /usr/sbin/mosquitto ]
mosquitto_pub     mosquitto-clients  command -v mosquitto_pub
# The independent Modbus TCP/RTU server of device-modbus's tests (system python3).
pymodbus          python3-pymodbus   [ -d /usr/lib/python3/dist-packages/pymodbus ]
# Net-SNMP's agent (device-snmp's peer) and its tools (snmptrap sends the traps under test).
snmpd             snmpd              [ -x /usr/sbin/snmpd ]
snmptrap          snmp               command -v snmptrap
# A real SMTP server (aiosmtpd) that receives support-notifications' e-mail.
aiosmtpd          python3-aiosmtpd   [ -d /usr/lib/python3/dist-packages/aiosmtpd ]
# A Docker engine and docker-compose for the deployment tests (test/deploy/compose.test.ts).
dockerd           docker.io          [ -x /usr/sbin/dockerd ]
docker-compose    docker-compose     command -v docker-compose
# pip installs kubernetes-validate (the Kubernetes JSON schemas) for the manifest tests.
pip               python3-pip        python3 -m pip --version
EOF
}
