# 4. Memory: a server with a small heap takes one large upload and serves it to many concurrent
# downloads. Peak RSS is the kernel's high-water mark for the process (VmHWM), heap the G1 heap
# in use after a full collection. A fresh server each repetition, so that each peak is its own.

scenario_memory() {
  local file=$WORK/memory.bin rep id secret
  head -c "$(to_bytes "$MEMORY_SIZE")" /dev/urandom >"$file"
  for rep in $(seq "$REPS"); do
    start_server "$WORK/data-memory" "$MEMORY_HEAP"
    read -r id secret < <(upload_v1 "$file")
    run_wrk "$MEMORY_CONNECTIONS" $((DURATION * 2)) "$SERVER_URL/api/v1/bundles/$id" "Bearer $secret"
    record memory "peak_rss_MiB" server "$(peak_rss_mib "$SERVER_PID")"
    record memory "heap_after_gc_MiB" server "$(heap_after_gc_mib "$SERVER_PID")"
    record memory "download_MiBps" server "$(python3 -c "print(round($WRK_BYTES / $WRK_SECONDS / 2**20, 1))")"
    record memory errors server "$WRK_ERRORS"
    delete_bundle "$id" "$secret"
    stop_pid "$SERVER_PID"
  done
  rm -f "$file"
}
