#!/usr/bin/env bash
# Runs the docker/docker-compose.yml topology as local processes on this machine: redis-server,
# silo1 and silo2 (each with a mediasoup worker), gateway1 on ws://127.0.0.1:4443 and gateway2 on
# ws://127.0.0.1:4444 (REDIS_PORT, GATEWAY1_PORT and GATEWAY2_PORT change the ports). Every process gets its compose service's environment (resolved by
# `docker-compose config`), with host names replaced by 127.0.0.1 and distinct local ports.
# Join tokens are required: set COORDINATOR_SIGNING_KEY (base64, at least 32 bytes) or one is
# generated and printed. Cluster TLS is on as in the compose file, with certificates made by
# scripts/cluster-certs.sh in artifacts/local-cluster/certs (CLUSTER_TLS=false turns it off).
# Ctrl+C stops everything this script started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-tools.sh >/dev/null
bash scripts/build-worker.sh >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly src/Gateway/Gateway.csproj

export COORDINATOR_SIGNING_KEY="${COORDINATOR_SIGNING_KEY:-$(head -c 32 /dev/urandom | base64)}"
readonly REDIS_PORT="${REDIS_PORT:-6379}" GATEWAY1_PORT="${GATEWAY1_PORT:-4443}" GATEWAY2_PORT="${GATEWAY2_PORT:-4444}"
readonly LOGS="artifacts/local-cluster"
mkdir -p "$LOGS"
readonly CERTS="$LOGS/certs"
if [[ "${CLUSTER_TLS:-true}" == true ]]; then
  bash scripts/cluster-certs.sh -d "$CERTS" silo1 silo2 gateway1 gateway2 >/dev/null
fi
resolved="$(docker-compose -f docker/docker-compose.yml config)"

# The environment of one compose service, as NAME=value lines.
service_env() {
  python3 -c 'import sys, yaml
for key, value in yaml.safe_load(sys.stdin)["services"][sys.argv[1]]["environment"].items():
    print(f"{key}={value}")' "$1" <<<"$resolved"
}

pids=() redis_pid=""
# Gateways and silos first (a silo's graceful stop writes to the membership table), Redis last.
stop_all() {
  trap - EXIT INT TERM
  ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null
  wait
}
trap stop_all EXIT INT TERM

# The process's cluster TLS files, or TLS off.
tls_env() {
  if [[ "${CLUSTER_TLS:-true}" == true ]]; then
    echo Orleans__Tls__Enabled=true "Orleans__Tls__CertificatePath=$CERTS/$1/node.crt" \
      "Orleans__Tls__KeyPath=$CERTS/$1/node.key" "Orleans__Tls__CaCertificatePath=$CERTS/$1/ca.crt"
  else
    echo Orleans__Tls__Enabled=false
  fi
}

# start <name> <command> [NAME=value overrides...]: the service's compose environment plus overrides.
start() {
  local name="$1" command="$2"; shift 2
  mapfile -t environment < <(service_env "$name")
  read -r -a tls <<<"$(tls_env "$name")"
  env "${environment[@]}" "${tls[@]}" \
    Orleans__RedisConnectionString="127.0.0.1:${REDIS_PORT}" Orleans__AdvertisedIPAddress=127.0.0.1 "$@" \
    "$command" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  echo "$name: pid $!, log $LOGS/$name.log"
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$LOGS/redis.log" 2>&1 &
redis_pid=$!
echo "redis: pid $redis_pid, port $REDIS_PORT"

silo=src/Silo/bin/Release/net10.0/Coordinator.Silo
gateway=src/Gateway/bin/Release/net10.0/Coordinator.Gateway
start silo1 "$silo" Orleans__SiloPort=11111 Orleans__GatewayPort=30000 Telemetry__SiloHttpPort=9464 MediaWorkers__RtcIPv4=127.0.0.1 MediaWorkers__RtcAnnouncedIPv4=127.0.0.1
start silo2 "$silo" Orleans__SiloPort=11112 Orleans__GatewayPort=30001 Telemetry__SiloHttpPort=9465 MediaWorkers__RtcIPv4=127.0.0.1 MediaWorkers__RtcAnnouncedIPv4=127.0.0.1
start gateway1 "$gateway" Gateway__ListenAddress=127.0.0.1 Gateway__Port="$GATEWAY1_PORT"
start gateway2 "$gateway" Gateway__ListenAddress=127.0.0.1 Gateway__Port="$GATEWAY2_PORT"

echo
echo "COORDINATOR_SIGNING_KEY=$COORDINATOR_SIGNING_KEY"
echo "Mint a join token: dotnet run --project tools/MintToken -- --key \"\$COORDINATOR_SIGNING_KEY\" --room <room> --peer <peer>"
echo "Ready when: curl -s http://127.0.0.1:$GATEWAY1_PORT/health/ready (and :$GATEWAY2_PORT). Ctrl+C stops the cluster."
wait
