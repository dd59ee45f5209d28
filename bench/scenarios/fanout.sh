# 1. Download fan-out: N concurrent downloads of one bundle, the staging server (with the secret
# header) against nginx serving the same file with sendfile. Two figures per level: throughput,
# and CPU seconds per GiB served, read from /proc/PID/stat, because on 2 cores the load
# generator saturates the CPU before either server does. A third subject, nginx with sendfile off
# (128 KiB buffers, as the staging server reads), shows what zero-copy alone is worth. At 64
# connections, bench/probes/SendPaths.java serves the same file from a bare JVM four ways (read and
# write; mapped once; mapped 4 MiB at a time and unmapped; sendfile), to tell the cost of the copies
# from that of the HTTP stack.

# Measures one wrk run against one server process: throughput, CPU per GiB, errors.
measure_download() { # SCENARIO LEVEL SUBJECT PID URL [AUTH]
  local before after
  before=$(cpu_ticks "$4")
  run_wrk "$2" "$DURATION" "$5" "${6:-}"
  after=$(cpu_ticks "$4")
  record "$1" "throughput_MiBps@$2" "$3" "$(python3 -c "print(round($WRK_BYTES / $WRK_SECONDS / 2**20, 1))")"
  record "$1" "cpu_s_per_GiB@$2" "$3" "$(python3 -c "print(round(($after - $before) / $CLK_TCK / ($WRK_BYTES / 2**30), 3))")"
  record "$1" "errors@$2" "$3" "$WRK_ERRORS"
}

# bench/probes/SendPaths.java serving FILE, with the server's collector: sets PROBE_PID, PROBE_URL.
start_send_paths() { # FILE
  local port
  port=$(free_port)
  java -XX:+UseSerialGC -Xmx64m "$BENCH/probes/SendPaths.java" "$1" "$port" >>"$OUT/server.log" 2>&1 &
  PROBE_PID=$!
  STARTED_PIDS+=("$PROBE_PID")
  PROBE_URL="http://127.0.0.1:$port"
  wait_http "$PROBE_URL/" "$PROBE_PID"
}

scenario_fanout() {
  local file=$WORK/www/fanout.bin id secret level rep
  head -c "$(to_bytes "$FANOUT_SIZE")" /dev/urandom >"$file"
  start_server "$WORK/data-fanout" 384m
  read -r id secret < <(upload_v1 "$file")
  # Warm up: the server's JIT, and both servers' page cache.
  run_wrk 16 3 "$SERVER_URL/api/v1/bundles/$id" "Bearer $secret"
  run_wrk 16 3 "$NGINX_URL/fanout.bin"
  start_send_paths "$file"
  local path
  for path in read map windows sendfile; do
    run_wrk 16 3 "$PROBE_URL/$path"
  done
  for level in ${FANOUT_LEVELS//,/ }; do
    for rep in $(seq "$REPS"); do
      measure_download fanout "$level" server "$SERVER_PID" "$SERVER_URL/api/v1/bundles/$id" "Bearer $secret"
      measure_download fanout "$level" nginx "$NGINX_PID" "$NGINX_URL/fanout.bin"
      measure_download fanout "$level" nginx-copy "$NGINX_PID" "$NGINX_URL/copy/fanout.bin"
      if [ "$level" = 64 ]; then
        measure_download fanout "$level" "jvm read+write" "$PROBE_PID" "$PROBE_URL/read"
        measure_download fanout "$level" "jvm mmap" "$PROBE_PID" "$PROBE_URL/map"
        measure_download fanout "$level" "jvm mmap, 4 MiB windows" "$PROBE_PID" "$PROBE_URL/windows"
        measure_download fanout "$level" "jvm sendfile" "$PROBE_PID" "$PROBE_URL/sendfile"
      fi
    done
    log "fan-out $level done"
  done
  stop_pid "$SERVER_PID"
  stop_pid "$PROBE_PID"
  rm -f "$file"
}
