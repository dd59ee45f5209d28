# 9. Staging by digest: a first `stage` of the dependency set (new namespace, empty digest cache)
# beside a `stage` of the same set with one jar changed (its own namespace, a warm cache), in the
# same rounds; the bytes the server received for such a restaging, from its access log; and the
# storage that ten stagings of the same set take.

scenario_restage() {
  local jars=$WORK/jars
  [ -d "$jars" ] || python3 "$BENCH/make_jars.py" "$jars" "$JARS" "$(to_bytes "$JARS_SIZE")"
  local changed size stage
  # The issue's case: one jar of 3 MiB changed, here the jar nearest that size.
  changed=$(find "$jars" -name '*.jar' -printf '%s %p\n' |
    awk -v target=$((3 << 20)) '{ d = $1 - target; print (d < 0 ? -d : d), $2 }' | sort -n | head -1 | cut -d' ' -f2-)
  size=$(stat -c %s "$changed")
  local rewrite="python3 -c 'import os, sys; open(sys.argv[1], \"wb\").write(os.urandom(int(sys.argv[2])))' $changed $size"
  start_server "$WORK/data-restage" 384m
  seed_client_cache "$SERVER_URL" "$changed"
  stage="$CLIENT stage --staging-server $SERVER_URL --label spark-app-selector=bench -o json"
  # Round 0 (not recorded) stages the set once into namespace "again", warming its caches.
  time_commands restage wall_s "$rewrite; sync; rm -rf $WORK/client-cache && cp -r $CLIENT_CACHE_SEED $WORK/client-cache" \
    "stage, first" "XDG_CACHE_HOME=$WORK/client-cache $stage --namespace first-\$(date +%s%N) $jars/*.jar >/dev/null" \
    "stage, one jar changed" "XDG_CACHE_HOME=$WORK/cache-restage $stage --namespace again $jars/*.jar >/dev/null"

  # Bytes received, as the access log counts them: every request of one more restaging.
  bash -c "$rewrite"
  local before after
  before=$(wc -l <"$OUT/server.log")
  XDG_CACHE_HOME=$WORK/cache-restage $stage --namespace again "$jars"/*.jar >/dev/null
  sleep 1 # the last request's access line
  after=$(wc -l <"$OUT/server.log")
  record restage bytes_received "stage, one jar changed" \
    "$(sed -n "$((before + 1)),${after}p" "$OUT/server.log" | awk '$4 == "access" && $12 ~ /^[0-9]+$/ { sum += $12 } END { print sum + 0 }')"
  record restage bytes_received "the changed jar" "$size"
  stop_pid "$SERVER_PID"
  rm -rf "$WORK/data-restage" "$WORK/cache-restage" "$WORK/client-cache"

  # Ten stagings of the same set into one namespace, on a server of their own.
  start_server "$WORK/data-ten" 384m
  stage="$CLIENT stage --staging-server $SERVER_URL --label spark-app-selector=bench -o json"
  for _ in $(seq 10); do
    XDG_CACHE_HOME=$WORK/cache-ten $stage --namespace ten "$jars"/*.jar >/dev/null
  done
  record restage storage_bytes "ten stagings" "$(curl -fsS "$SERVER_URL/metrics" | awk '/^staging_storage_bytes / { print $2 }')"
  record restage storage_bytes "one copy" "$(cat "$jars"/*.jar | wc -c)"
  stop_pid "$SERVER_PID"
  rm -rf "$WORK/data-ten" "$WORK/cache-ten"
}
