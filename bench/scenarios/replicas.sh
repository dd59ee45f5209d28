# 8. Object storage: download fan-out through one staging replica against two replicas sharing
# one bucket, the clients split between them as a Service would, and, for the redirect mode, the
# object store serving a presigned URL itself. The store is S3Proxy on its file-system backend, in
# a JVM of its own; replicas, store and load generator share this machine's cores.

S3_ACCESS_KEY=bench
S3_SECRET_KEY=bench-secret

# S3Proxy from the server module's test class path: sets S3_PID, S3_URL.
start_s3proxy() { # DIR
  local port=$(free_port) classpath=$WORK/s3proxy.classpath
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never dependency:build-classpath -pl staging-server -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath") || die "cannot resolve S3Proxy's class path"
  mkdir -p "$1/bench"
  cat >"$WORK/s3proxy.properties" <<PROPERTIES
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
# One thread per download it serves: the default of 200 would queue the 256-download level.
s3proxy.jetty.max-threads=1024
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$1
jclouds.identity=unused
jclouds.credential=unused
PROPERTIES
  cat >"$WORK/s3proxy-logback.xml" <<'LOGBACK'
<configuration><root level="WARN"/></configuration>
LOGBACK
  java -Xmx512m -Dlogback.configurationFile="$WORK/s3proxy-logback.xml" -cp "$(cat "$classpath")" org.gaul.s3proxy.Main \
    --properties "$WORK/s3proxy.properties" >>"$OUT/s3proxy.log" 2>&1 &
  S3_PID=$!
  STARTED_PIDS+=("$S3_PID")
  S3_URL="http://127.0.0.1:$port"
  wait_http "$S3_URL/" "$S3_PID"
}

start_replica() { # SPOOL_DIR [more server options]
  local spool=$1
  shift
  mkdir -p "$spool"
  AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY start_server "$spool" 384m \
    --storage s3://bench/staging --s3-endpoint "$S3_URL" --s3-path-style --s3-spool-dir "$spool" "$@"
}

# Two wrk runs at once, CONNECTIONS split between two URLs; sets the WRK_* variables to their sums.
run_wrk_split() { # CONNECTIONS DURATION URL_A URL_B AUTH
  local half=$(($1 / 2)) first a_bytes a_seconds a_errors b_bytes b_seconds b_errors
  (run_wrk "$half" "$2" "$3" "$5" && echo "$WRK_BYTES $WRK_SECONDS $WRK_ERRORS") >"$WORK/wrk-a.txt" &
  first=$!
  (run_wrk "$half" "$2" "$4" "$5" && echo "$WRK_BYTES $WRK_SECONDS $WRK_ERRORS") >"$WORK/wrk-b.txt"
  wait "$first" || die "wrk failed against $3"
  read -r a_bytes a_seconds a_errors <"$WORK/wrk-a.txt"
  read -r b_bytes b_seconds b_errors <"$WORK/wrk-b.txt"
  WRK_BYTES=$((a_bytes + b_bytes))
  WRK_SECONDS=$(python3 -c "print(max($a_seconds, $b_seconds))")
  WRK_ERRORS=$((a_errors + b_errors))
}

sum_cpu_ticks() { # PID...
  local total=0 pid
  for pid; do
    total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}

record_download() { # LEVEL SUBJECT STAGING_CPU_TICKS STORE_CPU_TICKS
  record replicas "throughput_MiBps@$1" "$2" "$(python3 -c "print(round($WRK_BYTES / $WRK_SECONDS / 2**20, 1))")"
  record replicas "staging_cpu_s_per_GiB@$1" "$2" "$(python3 -c "print(round($3 / $CLK_TCK / ($WRK_BYTES / 2**30), 3))")"
  record replicas "store_cpu_s_per_GiB@$1" "$2" "$(python3 -c "print(round($4 / $CLK_TCK / ($WRK_BYTES / 2**30), 3))")"
  record replicas "errors@$1" "$2" "$WRK_ERRORS"
}

scenario_replicas() {
  local file=$WORK/www/replicas.bin id secret first_url first_pid second_url second_pid presigned level rep staging store
  head -c "$(to_bytes "$FANOUT_SIZE")" /dev/urandom >"$file"
  start_s3proxy "$WORK/s3"
  start_replica "$WORK/replica-1"
  first_url=$SERVER_URL first_pid=$SERVER_PID
  start_replica "$WORK/replica-2"
  second_url=$SERVER_URL second_pid=$SERVER_PID
  SERVER_URL=$first_url
  read -r id secret < <(upload_v1 "$file")
  rm -f "$file"
  # A third replica, redirecting, only hands out the presigned URL the redirect mode's clients get.
  start_replica "$WORK/replica-3" --download-redirect 1h
  presigned=$(curl -fsS -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $secret" "$SERVER_URL/api/v1/bundles/$id")
  stop_pid "$SERVER_PID"
  [ -n "$presigned" ] || die "the redirecting replica gave no URL"

  run_wrk 16 3 "$first_url/api/v1/bundles/$id" "Bearer $secret"
  run_wrk 16 3 "$second_url/api/v1/bundles/$id" "Bearer $secret"
  run_wrk 16 3 "$presigned"
  for level in ${REPLICAS_LEVELS//,/ }; do
    for rep in $(seq "$REPS"); do
      staging=$(sum_cpu_ticks "$first_pid" "$second_pid") store=$(cpu_ticks "$S3_PID")
      run_wrk "$level" "$DURATION" "$first_url/api/v1/bundles/$id" "Bearer $secret"
      record_download "$level" one-replica $(($(sum_cpu_ticks "$first_pid" "$second_pid") - staging)) $(($(cpu_ticks "$S3_PID") - store))

      staging=$(sum_cpu_ticks "$first_pid" "$second_pid") store=$(cpu_ticks "$S3_PID")
      run_wrk_split "$level" "$DURATION" "$first_url/api/v1/bundles/$id" "$second_url/api/v1/bundles/$id" "Bearer $secret"
      record_download "$level" two-replicas $(($(sum_cpu_ticks "$first_pid" "$second_pid") - staging)) $(($(cpu_ticks "$S3_PID") - store))

      staging=$(sum_cpu_ticks "$first_pid" "$second_pid") store=$(cpu_ticks "$S3_PID")
      run_wrk "$level" "$DURATION" "$presigned"
      record_download "$level" presigned-url $(($(sum_cpu_ticks "$first_pid" "$second_pid") - staging)) $(($(cpu_ticks "$S3_PID") - store))
    done
    log "replicas $level done"
  done
  stop_pid "$first_pid"
  stop_pid "$second_pid"
  stop_pid "$S3_PID"
}
