# 7. Growth: the same server empty and holding many bundles. Start-up (the index is rebuilt before
# the port opens: from the snapshot a clean stop leaves, or after kill -9 from every bundle's
# metadata file), heap after a full collection, and the median latency of a small download and a
# small upload, one connection at a time.

# Starts the server on DATA_DIR and records how long until it answers as SUBJECT's start-up.
timed_start() { # SUBJECT DATA_DIR
  local launched
  launched=$(date +%s%N)
  start_server "$2" 384m
  record growth startup_s "$1" "$(python3 -c "print(($(date +%s%N) - $launched) / 1e9)")"
}

measure_store() { # SUBJECT DATA_DIR BUNDLE_ID SECRET
  local rep
  for rep in $(seq "$REPS"); do
    timed_start "$1" "$2"
    record growth heap_after_gc_MiB "$1" "$(heap_after_gc_mib "$SERVER_PID")"
    run_wrk 1 "$DURATION" "$SERVER_URL/api/v1/bundles/$3" "Bearer $4"
    record growth download_p50_ms "$1" "$WRK_P50_MS"
    BENCH_BODY_FILE=$WORK/growth.bin BENCH_OWNER=$OWNER run_wrk 1 "$DURATION" "$SERVER_URL/api/v1/bundles"
    record growth upload_p50_ms "$1" "$WRK_P50_MS"
    stop_pid "$SERVER_PID"
  done
}

# A start after kill -9, which leaves no snapshot: every bundle's metadata file is read.
measure_start_after_crash() { # SUBJECT DATA_DIR
  local rep
  for rep in $(seq "$REPS"); do
    start_server "$2" 384m
    kill -9 "$SERVER_PID"
    stop_pid "$SERVER_PID"
    timed_start "$1" "$2"
    stop_pid "$SERVER_PID"
  done
}

scenario_growth() {
  local data=$WORK/data-growth id secret
  head -c 4096 /dev/urandom >"$WORK/growth.bin"
  start_server "$data" 384m
  read -r id secret < <(upload_v1 "$WORK/growth.bin")
  stop_pid "$SERVER_PID"
  measure_store empty "$data" "$id" "$secret"
  log "writing $BUNDLES bundles"
  python3 "$BENCH/make_bundles.py" "$data" "$id" "$BUNDLES"
  # One start reads them all from their files; its clean stop leaves the snapshot the next reads.
  start_server "$data" 384m
  stop_pid "$SERVER_PID"
  measure_store full "$data" "$id" "$secret"
  measure_start_after_crash "full, after kill -9" "$data"
  rm -rf "$data"
}
