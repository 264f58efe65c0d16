#!/usr/bin/env bash
# Runs the docker/docker-compose.yml topology as local processes on this machine: redis-server,
# silo1 and silo2 (each with a mediasoup worker), gateway1 on ws://127.0.0.1:4443 and gateway2 on
# ws://127.0.0.1:4444. Every process gets its compose service's environment (resolved by
# `docker-compose config`), with host names replaced by 127.0.0.1 and distinct local ports.
# Everything listens on 127.0.0.1 only. Cluster traffic uses mutual TLS as in the compose file, with
# certificates made by scripts/cluster-certs.sh in $LOCAL_CLUSTER_DIR/certs.
#
# Every process is supervised: when one exits while the script is not stopping, it is started again
# after a back-off (1 s, doubling up to 30 s; back to 1 s once it had run for 60 s), and the script
# prints "<name> exited with code N; restarting in S s". Ctrl+C (or SIGTERM to this script) stops
# everything it started: gateways first, then silos, Redis last.
#
# Redis keeps its data in an append-only file under $LOCAL_CLUSTER_DIR/redis, so a restarted Redis
# still has the membership table; the folder is emptied when the script starts.
#
# Environment (all optional):
#   COORDINATOR_SIGNING_KEY   join token key (base64, at least 32 bytes); generated and printed if unset
#   REDIS_PORT, GATEWAY1_PORT, GATEWAY2_PORT                    6379, 4443, 4444
#   SILO1_PORT, SILO2_PORT (silo-to-silo)                       11111, 11112
#   SILO1_GATEWAY_PORT, SILO2_GATEWAY_PORT                      30000, 30001
#   SILO1_METRICS_PORT, SILO2_METRICS_PORT (/metrics, /health/live)   9464, 9465
#   GATEWAY1_METRICS_PORT, GATEWAY2_METRICS_PORT (operations: /metrics, /health/*)   9466, 9467
#   REDIS_PERSIST=0           Redis without persistence: a restarted Redis starts empty
#   CLUSTER_TLS=false         cluster traffic in plain text (no certificates)
#   LOCAL_CLUSTER_DIR         logs, pid files, certificates and Redis data (default artifacts/local-cluster)
#   LOCAL_CLUSTER_BUILD=0     skip installing tools and building (the Release build must exist)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${LOCAL_CLUSTER_BUILD:-1}" != 0 ]]; then
  bash scripts/install-test-tools.sh >/dev/null
  bash scripts/build-worker.sh >/dev/null
  dotnet build -c Release -nologo -clp:ErrorsOnly src/Gateway/Gateway.csproj
fi

export COORDINATOR_SIGNING_KEY="${COORDINATOR_SIGNING_KEY:-$(head -c 32 /dev/urandom | base64)}"
readonly REDIS_PORT="${REDIS_PORT:-6379}" GATEWAY1_PORT="${GATEWAY1_PORT:-4443}" GATEWAY2_PORT="${GATEWAY2_PORT:-4444}"
readonly SILO1_PORT="${SILO1_PORT:-11111}" SILO2_PORT="${SILO2_PORT:-11112}"
readonly SILO1_GATEWAY_PORT="${SILO1_GATEWAY_PORT:-30000}" SILO2_GATEWAY_PORT="${SILO2_GATEWAY_PORT:-30001}"
readonly SILO1_METRICS_PORT="${SILO1_METRICS_PORT:-9464}" SILO2_METRICS_PORT="${SILO2_METRICS_PORT:-9465}"
readonly GATEWAY1_METRICS_PORT="${GATEWAY1_METRICS_PORT:-9466}" GATEWAY2_METRICS_PORT="${GATEWAY2_METRICS_PORT:-9467}"
readonly REDIS_PERSIST="${REDIS_PERSIST:-1}"
readonly DIR="${LOCAL_CLUSTER_DIR:-artifacts/local-cluster}"
# Restart back-off, in seconds: first delay, ceiling, and the run time after which it starts over.
readonly BACKOFF_FIRST=1 BACKOFF_MAX=30 BACKOFF_RESET_AFTER=60

mkdir -p "$DIR"
rm -rf "$DIR/redis" && mkdir -p "$DIR/redis"
readonly CERTS="$DIR/certs"
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

# supervise <name> <command...>: runs the command (output to $DIR/<name>.log, pid in $DIR/<name>.pid)
# and starts it again whenever it exits, until this supervisor gets SIGTERM; then it stops the
# command with SIGTERM, waits for it and returns. Meant to run in the background (a subshell).
# The command runs in its own session (setsid), so Ctrl+C in the terminal reaches only this script,
# which stops the supervisors in order.
supervise() {
  set +e
  local name="$1"; shift
  local child="" stopping="" delay="$BACKOFF_FIRST" started code
  trap 'stopping=1; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null' TERM
  trap '' INT
  : >"$DIR/$name.log"
  while [[ -z "$stopping" ]]; do
    started=$SECONDS
    setsid "$@" >>"$DIR/$name.log" 2>&1 &
    child=$!
    [[ -n "$stopping" ]] && kill -TERM "$child" 2>/dev/null
    echo "$child" >"$DIR/$name.pid"
    echo "$name: pid $child, log $DIR/$name.log"
    # A trap interrupts `wait` (status > 128) while the child still runs: wait again for its own status.
    # (stderr: bash's own "Killed" notice; the line below says it.)
    while :; do
      wait "$child" 2>/dev/null
      code=$?
      kill -0 "$child" 2>/dev/null || break
    done
    child=""
    rm -f "$DIR/$name.pid"
    [[ -n "$stopping" ]] && break
    ((SECONDS - started >= BACKOFF_RESET_AFTER)) && delay="$BACKOFF_FIRST"
    echo "$name exited with code $code; restarting in $delay s"
    sleep "$delay" &
    child=$!
    [[ -n "$stopping" ]] && kill -TERM "$child" 2>/dev/null
    wait "$child"
    child=""
    delay=$((delay * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay * 2))
  done
}

gateway_supervisors=() silo_supervisors=() redis_supervisor=""
# Gateways first (they unsubscribe from their streams through the silos), then silos (a silo's
# graceful stop writes to the membership table), Redis last.
stop_all() {
  trap - EXIT INT TERM
  echo "stopping the cluster"
  stop_supervisors "${gateway_supervisors[@]}"
  stop_supervisors "${silo_supervisors[@]}"
  stop_supervisors ${redis_supervisor:+"$redis_supervisor"}
  wait || true
}
stop_supervisors() {
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
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
# Sets $! to its supervisor.
start() {
  local name="$1" command="$2"; shift 2
  mapfile -t environment < <(service_env "$name")
  read -r -a tls <<<"$(tls_env "$name")"
  supervise "$name" env "${environment[@]}" "${tls[@]}" \
    Orleans__RedisConnectionString="127.0.0.1:${REDIS_PORT}" Orleans__AdvertisedIPAddress=127.0.0.1 "$@" \
    "$command" &
}

if [[ "$REDIS_PERSIST" == 0 ]]; then
  redis_persistence=(--save "" --appendonly no)
else
  redis_persistence=(--save "" --appendonly yes --dir "$(cd "$DIR/redis" && pwd)")
fi
supervise redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 "${redis_persistence[@]}" &
redis_supervisor=$!

silo=src/Silo/bin/Release/net10.0/Coordinator.Silo
gateway=src/Gateway/bin/Release/net10.0/Coordinator.Gateway
# The compose file makes silos listen on every interface of their container and serve /metrics
# there; on a shared machine both stay on loopback.
loopback=(Orleans__ListenAddress=127.0.0.1 Telemetry__SiloHttpAddress=127.0.0.1 MediaWorkers__RtcIPv4=127.0.0.1 MediaWorkers__RtcAnnouncedIPv4=127.0.0.1)
start silo1 "$silo" "${loopback[@]}" Orleans__SiloPort="$SILO1_PORT" Orleans__GatewayPort="$SILO1_GATEWAY_PORT" Telemetry__SiloHttpPort="$SILO1_METRICS_PORT"
silo_supervisors+=($!)
start silo2 "$silo" "${loopback[@]}" Orleans__SiloPort="$SILO2_PORT" Orleans__GatewayPort="$SILO2_GATEWAY_PORT" Telemetry__SiloHttpPort="$SILO2_METRICS_PORT"
silo_supervisors+=($!)
# Each gateway's operations listener (/metrics) stays on its default address, 127.0.0.1.
start gateway1 "$gateway" Gateway__ListenAddress=127.0.0.1 Gateway__Port="$GATEWAY1_PORT" Gateway__Operations__Port="$GATEWAY1_METRICS_PORT"
gateway_supervisors+=($!)
start gateway2 "$gateway" Gateway__ListenAddress=127.0.0.1 Gateway__Port="$GATEWAY2_PORT" Gateway__Operations__Port="$GATEWAY2_METRICS_PORT"
gateway_supervisors+=($!)

echo "redis: port $REDIS_PORT, $([[ "$REDIS_PERSIST" == 0 ]] && echo "no persistence" || echo "append-only file in $DIR/redis")"
echo "silo metrics: http://127.0.0.1:$SILO1_METRICS_PORT/metrics and http://127.0.0.1:$SILO2_METRICS_PORT/metrics"
echo "gateway metrics: http://127.0.0.1:$GATEWAY1_METRICS_PORT/metrics and http://127.0.0.1:$GATEWAY2_METRICS_PORT/metrics"
echo
echo "COORDINATOR_SIGNING_KEY=$COORDINATOR_SIGNING_KEY"
echo "Mint a join token: dotnet run --project tools/MintToken -- --key \"\$COORDINATOR_SIGNING_KEY\" --room <room> --peer <peer>"
echo "Ready when: curl -s http://127.0.0.1:$GATEWAY1_PORT/health/ready (and :$GATEWAY2_PORT). Ctrl+C stops the cluster."
wait
