#!/usr/bin/env bash
# Builds local stand-ins for the third-party images of compose/docker-compose.yml, for machines that cannot
# reach an image registry (the deployment tests), from binaries already on this machine:
#   edgex-ts-standin/consul:local     for hashicorp/consul: Consul built by scripts/install-test-servers.sh
#   edgex-ts-standin/mongo:local      for mongo: FerretDB (MongoDB wire protocol, SQLite storage in /data/db),
#                                     built by scripts/install-test-servers.sh, plus bash for the health check
#   edgex-ts-standin/mosquitto:local  for eclipse-mosquitto: Debian's mosquitto and mosquitto_sub
# Each behaves as its official image does where the compose file relies on it (paths, entry point, user,
# health-check commands), so compose/docker-compose.standins.yml only swaps the image names.
# An image is re-imported only when its binaries, libraries or settings change.
set -euo pipefail
LOG_PREFIX=stand-in-images
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

bin_dir="${EDGEX_TS_CACHE:-$HOME/.cache/edgex-ts}/bin"
find_binary() { # <name> <candidates...>: the first executable candidate, or a clear error
  local name=$1 c
  shift
  for c in "$@"; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  die "$name not found (looked at $*); $(case "$name" in consul | ferretdb) echo "build it with: bash scripts/install-test-servers.sh $name" ;; *) echo "install it with: apt-get install -y mosquitto mosquitto-clients" ;; esac)"
}
consul=$(find_binary consul "${EDGEX_TS_CONSUL_BIN:-}" "$bin_dir/consul" "$(command -v consul || true)")
ferretdb=$(find_binary ferretdb "${EDGEX_TS_FERRETDB_BIN:-}" "$bin_dir/ferretdb" "$(command -v ferretdb || true)")
mosquitto=$(find_binary mosquitto /usr/sbin/mosquitto "$(command -v mosquitto || true)")
mosquitto_sub=$(find_binary mosquitto_sub "$(command -v mosquitto_sub || true)")
bash_bin=$(find_binary bash /bin/bash)

work=$(mktemp -d "${TMPDIR:-/tmp}/edgex-ts-standins.XXXXXX")
trap 'rm -rf "$work"' EXIT
path_env='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# Consul: the official image's entry point adds -data-dir=/consul/data -config-dir=/consul/config to `agent`;
# the compose file passes them itself, so the binary is the entry point here.
r="$work/consul"
rootfs_add_binary "$r" "$consul" /bin/consul
install -d -m 1777 "$r/tmp"
install -d "$r/consul/data" "$r/consul/config"
import_rootfs edgex-ts-standin/consul:local "$r" "$path_env" \
  'ENTRYPOINT ["/bin/consul"]' 'CMD ["agent", "-dev", "-client", "0.0.0.0"]' 'EXPOSE 8500'

# MongoDB → FerretDB on SQLite files in /data/db (the official image's data volume).
r="$work/mongo"
rootfs_add_binary "$r" "$ferretdb" /usr/local/bin/ferretdb
rootfs_add_binary "$r" "$bash_bin" /bin/bash
install -d -m 1777 "$r/tmp"
install -d "$r/data/db"
import_rootfs edgex-ts-standin/mongo:local "$r" "$path_env" \
  'ENV FERRETDB_HANDLER=sqlite FERRETDB_SQLITE_URL=file:/data/db/ FERRETDB_STATE_DIR=/data/db FERRETDB_LISTEN_ADDR=:27017 FERRETDB_TELEMETRY=disable' \
  'ENTRYPOINT ["/usr/local/bin/ferretdb"]' 'EXPOSE 27017'

# Mosquitto: started as root it switches to the user mosquitto (uid 1883 as in the official image), which
# owns /mosquitto/data; the configuration is read from /mosquitto/config/mosquitto.conf.
r="$work/mosquitto"
rootfs_add_binary "$r" "$mosquitto" /usr/sbin/mosquitto
rootfs_add_binary "$r" "$mosquitto_sub" /usr/bin/mosquitto_sub
install -d -m 1777 "$r/tmp"
install -d "$r/etc" "$r/mosquitto/config"
printf 'root:x:0:0:root:/root:/sbin/nologin\nmosquitto:x:1883:1883:mosquitto:/mosquitto:/sbin/nologin\n' >"$r/etc/passwd"
printf 'root:x:0:\nmosquitto:x:1883:\n' >"$r/etc/group"
install -d -o 1883 -g 1883 "$r/mosquitto/data" "$r/mosquitto/log"
printf 'listener 1883\nallow_anonymous true\n' >"$r/mosquitto/config/mosquitto.conf"
import_rootfs edgex-ts-standin/mosquitto:local "$r" "$path_env" \
  'CMD ["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]' 'EXPOSE 1883'

echo "edgex-ts-standin/consul:local edgex-ts-standin/mongo:local edgex-ts-standin/mosquitto:local"
