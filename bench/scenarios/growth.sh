# 7. Growth: the same server empty and holding many bundles. Start-up (the index is rebuilt from
# disk before the port opens), heap after a full collection, and the median latency of a small
# download and a small upload, one connection at a time.

measure_store() { # SUBJECT DATA_DIR BUNDLE_ID SECRET
  local rep launched
  for rep in $(seq "$REPS"); do
    launched=$(date +%s%N)
    start_server "$2" 384m
    record growth startup_s "$1" "$(python3 -c "print(($(date +%s%N) - $launched) / 1e9)")"
    record growth heap_after_gc_MiB "$1" "$(heap_after_gc_mib "$SERVER_PID")"
    run_wrk 1 "$DURATION" "$SERVER_URL/api/v1/bundles/$3" "Bearer $4"
    record growth download_p50_ms "$1" "$WRK_P50_MS"
    BENCH_BODY_FILE=$WORK/growth.bin BENCH_OWNER=$OWNER run_wrk 1 "$DURATION" "$SERVER_URL/api/v1/bundles"
    record growth upload_p50_ms "$1" "$WRK_P50_MS"
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
  measure_store full "$data" "$id" "$secret"
  rm -rf "$data"
}
