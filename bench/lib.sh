# Helpers shared by bench/run and the scenario files: processes, ports, CPU and memory readings,
# and the raw results file. Sourced, not run.

CLK_TCK=$(getconf CLK_TCK)
STARTED_PIDS=()

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# One measurement: scenario, metric, subject, value. report.py takes medians over repetitions.
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RAW"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # URL PID: until URL answers at all, for up to 60 s, while PID lives
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ]; do
    kill -0 "$2" 2>/dev/null || die "the server for $1 exited at start: see $OUT/server.log and $WORK/nginx/logs"
    [ $SECONDS -lt $deadline ] || die "$1 did not come up"
    sleep 0.05
  done
}

stop_all() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${STARTED_PIDS[@]}"; do
    [ "$pid" = "$1" ] || kept+=("$pid")
  done
  STARTED_PIDS=("${kept[@]}")
}

# The process and every descendant (nginx's workers are children of its master).
process_tree() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid"); do
    process_tree "$child"
  done
}

# User + system CPU ticks of a process tree, from /proc/PID/stat (fields 14 and 15).
cpu_ticks() {
  local total=0 pid fields
  for pid in $(process_tree "$1"); do
    read -r -a fields < <(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

peak_rss_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Heap in use after a full collection, in MiB, from the JDK's own jcmd: G1's whole-heap line, or
# the serial collector's two generations added up.
heap_after_gc_mib() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    /garbage-first heap/ { match($0, /used [0-9]+K/); g1 = substr($0, RSTART + 5, RLENGTH - 6) }
    /(def new|tenured) generation/ { match($0, /used [0-9]+K/); serial += substr($0, RSTART + 5, RLENGTH - 6) }
    END { printf "%.1f", (g1 != "" ? g1 : serial) / 1024 }'
}

# The JVM flags of an image's ENTRYPOINT, so that the benchmark runs what the pods run, with its
# class-data sharing archive at ARCHIVE instead (see make_archive).
image_flags() { # MODULE ARCHIVE
  sed -n 's/^ENTRYPOINT \["[^"]*java", \(.*\), "-jar".*/\1/p' "$ROOT/$1/Dockerfile" | sed 's/", "/ /g; s/"//g' |
    sed "s|-XX:SharedArchiveFile=[^ ]*|-XX:SharedArchiveFile=$2|"
}

# A module's class-data sharing archive, made as its image build makes it: by the JVM that will
# run it (an archive is valid only for the JVM that made it; default: java), from the committed
# class list.
make_archive() { # MODULE ARCHIVE [JAVA]
  "${3:-java}" -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$ROOT/$1/src/main/cds/$1.classlist" \
    -XX:SharedArchiveFile="$2" -cp "$ROOT/$1/target/$1.jar" >>"$OUT/commands.log" 2>&1
}

# The submit client as users run it: the release archive's launcher, whose first runs leave
# class-data sharing archives under XDG_CACHE_HOME (README, "Installing the command").
CLIENT=$(find "$ROOT/submit-client/target" -path '*/bin/spark-staging' -type f 2>/dev/null | head -1)

# A cache directory with the launcher's archives for `stage` and no digests, as on a user's machine
# that has staged before but not these files: sets CLIENT_CACHE_SEED. Scenarios copy it afresh.
seed_client_cache() { # SERVER_URL FILE
  CLIENT_CACHE_SEED=$WORK/client-cache-seed
  rm -rf "$CLIENT_CACHE_SEED"
  XDG_CACHE_HOME=$CLIENT_CACHE_SEED "$CLIENT" stage --staging-server "$1" --namespace seed --label spark-app-selector=bench -o json \
    "$2" >/dev/null
  rm -f "$CLIENT_CACHE_SEED/spark-staging/digests.txt"
}

# Starts the staging server on a fresh port: sets SERVER_PID and SERVER_URL.
start_server() { # DATA_DIR HEAP [more server options]
  local data_dir=$1 heap=$2
  shift 2
  local port
  port=$(free_port)
  mkdir -p "$data_dir"
  # shellcheck disable=SC2086 # a list of flags
  java $SERVER_FLAGS -Xmx"$heap" -jar "$ROOT/staging-server/target/staging-server.jar" --host 127.0.0.1 --port "$port" \
    --data-dir "$data_dir" --kubernetes off --max-bundle-size 8g --min-free-space 1g "$@" \
    >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  SERVER_URL="http://127.0.0.1:$port"
  wait_http "$SERVER_URL/healthz" "$SERVER_PID"
}

# nginx serving DIR at /, sendfile on, as a tuned static file server would: sets NGINX_PID, NGINX_URL.
start_nginx() { # DIR
  local port prefix
  port=$(free_port)
  prefix="$WORK/nginx"
  mkdir -p "$prefix/logs" "$prefix/tmp"
  sed -e "s|@PORT@|$port|" -e "s|@ROOT@|$1|" -e "s|@PREFIX@|$prefix|" "$BENCH/nginx.conf" >"$prefix/nginx.conf"
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
  NGINX_PID=$!
  STARTED_PIDS+=("$NGINX_PID")
  NGINX_URL="http://127.0.0.1:$port"
  wait_http "$NGINX_URL/" "$NGINX_PID"
}

OWNER='{"ownerNamespace":"bench","ownerLabels":{"spark-app-selector":"bench"},"ownerType":"Pod"}'

# Uploads FILE through the v1 API; prints "ID SECRET".
upload_v1() { # FILE
  curl -fsS -X POST -T "$1" -H "Bundle-Owner: $OWNER" -H 'Content-Type: application/octet-stream' \
    "$SERVER_URL/api/v1/bundles" |
    python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["resourceId"], r["resourceSecret"])'
}

delete_bundle() { # ID SECRET
  curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $2" "$SERVER_URL/api/v1/bundles/$1"
}

# Runs wrk with bench/wrk.lua, which prints one "RESULT k=v ..." line; sets the WRK_* variables.
run_wrk() { # CONNECTIONS DURATION URL [AUTH_HEADER_VALUE]
  local connections=$1 threads=2 line key value environment=
  [ "$connections" -ge 2 ] || threads=1
  # Each distinct command line once, for the report: what anyone can run against their own servers.
  [ -z "${4:-}" ] || environment="BENCH_AUTH='Bearer SECRET' "
  [ -z "${BENCH_BODY_FILE:-}" ] || environment+="BENCH_BODY_FILE=${BENCH_BODY_FILE##*/} BENCH_OWNER='$BENCH_OWNER' "
  line="${environment}wrk -t $threads -c $connections -d $2 --timeout 600s -s bench/wrk.lua $3"
  grep -qxF -- "$line" "$OUT/load-commands.txt" 2>/dev/null || echo "$line" >>"$OUT/load-commands.txt"
  line=$(BENCH_AUTH="${4:-}" wrk -t "$threads" -c "$connections" -d "$2" --timeout 600s -s "$BENCH/wrk.lua" "$3" |
    grep '^RESULT ') || die "wrk gave no result for $3"
  for pair in ${line#RESULT }; do
    key=${pair%%=*}
    value=${pair#*=}
    printf -v "WRK_${key^^}" '%s' "$value"
  done
}

# Times whole commands, interleaved: one round of every command as a warm-up, then REPS rounds,
# each command once a round, so that a slow spell of the disk or the VM falls on all of them alike.
time_commands() { # SCENARIO METRIC PREPARE_COMMAND SUBJECT COMMAND [SUBJECT COMMAND]...
  local scenario=$1 metric=$2 prepare=$3 round pair start
  shift 3
  local pairs=("$@")
  for round in $(seq 0 "$REPS"); do
    for ((pair = 0; pair < ${#pairs[@]}; pair += 2)); do
      bash -c "$prepare"
      start=$(date +%s%N)
      bash -c "${pairs[pair + 1]}" >>"$OUT/commands.log" 2>&1 || die "${pairs[pair]} failed: see $OUT/commands.log"
      [ "$round" -eq 0 ] || record "$scenario" "$metric" "${pairs[pair]}" "$(python3 -c "print(($(date +%s%N) - $start) / 1e9)")"
    done
  done
}
