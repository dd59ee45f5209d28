# 3. Upload: one large bundle through the v1 API (raw body) and the v0 API (multipart), against
# dd writing the same bytes to the same disk with fsync. The server also computes SHA-256 on the
# way in and fsyncs metadata and directories. Before each run, sync flushes what earlier runs
# left dirty, so that no run pays for another's writes.

upload_seconds() { # CURL_ARGS...: runs one upload, prints curl's total time; fails on an error answer
  local seconds id secret
  seconds=$(curl -fsS -o "$WORK/upload-answer.json" -w '%{time_total}' "$@") ||
    die "upload failed: $(cat "$WORK/upload-answer.json" 2>/dev/null)"
  # Deleted at once, so that the runs do not fill the disk.
  read -r id secret < <(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["resourceId"], r["resourceSecret"])' "$WORK/upload-answer.json")
  delete_bundle "$id" "$secret"
  echo "$seconds"
}

scenario_upload() {
  local file=$WORK/upload.bin bytes rep seconds start
  bytes=$(to_bytes "$UPLOAD_SIZE")
  head -c "$bytes" /dev/urandom >"$file"
  printf '%s' "$OWNER" >"$WORK/owner.json"
  start_server "$WORK/data-upload" 384m
  # Warm up the JIT on a smaller upload.
  head -c $((64 << 20)) "$file" >"$WORK/warmup.bin"
  upload_seconds -X POST -T "$WORK/warmup.bin" -H "Bundle-Owner: $OWNER" "$SERVER_URL/api/v1/bundles" >/dev/null
  for rep in $(seq "$REPS"); do
    sync
    seconds=$(upload_seconds -X POST -T "$file" -H "Bundle-Owner: $OWNER" -H 'Content-Type: application/octet-stream' \
      "$SERVER_URL/api/v1/bundles")
    record upload MiBps server-v1 "$(python3 -c "print(round($bytes / $seconds / 2**20, 1))")"
    sync
    seconds=$(upload_seconds -F "resources=@$file;type=application/octet-stream" \
      -F "resourcesOwner=<$WORK/owner.json;type=application/json" "$SERVER_URL/api/v0/resources")
    record upload MiBps server-v0 "$(python3 -c "print(round($bytes / $seconds / 2**20, 1))")"
    sync
    start=$(date +%s%N)
    dd if="$file" of="$WORK/data-upload/dd.out" bs=1M conv=fsync status=none
    seconds=$(python3 -c "print(($(date +%s%N) - $start) / 1e9)")
    rm -f "$WORK/data-upload/dd.out"
    record upload MiBps dd "$(python3 -c "print(round($bytes / $seconds / 2**20, 1))")"
  done
  stop_pid "$SERVER_PID"
  rm -f "$file" "$WORK/warmup.bin"
}
