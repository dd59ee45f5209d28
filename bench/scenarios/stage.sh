# 6. Staging cost: `submit-client stage` of the dependency set against `tar -c | curl -T -` into
# the same server; also `stage --gzip`, to show what compressing compressed jars costs; and a
# one-file `stage` against the same `tar | curl` of that file.

scenario_stage() {
  local jars=$WORK/jars
  [ -d "$jars" ] || python3 "$BENCH/make_jars.py" "$jars" "$JARS" "$(to_bytes "$JARS_SIZE")"
  start_server "$WORK/data-stage" 384m
  # A first staging every time: a namespace that holds nothing yet, and no digest cache (but the
  # launcher's class archive, which only a machine's very first run lacks).
  seed_client_cache "$SERVER_URL" "$(find "$jars" -name '*.jar' | sort | head -1)"
  local stage="XDG_CACHE_HOME=$WORK/client-cache $CLIENT stage --staging-server $SERVER_URL --namespace bench-\$(date +%s%N) --label spark-app-selector=bench -o json"
  # Every run stores a bundle; the data directory is removed at the end.
  time_commands stage wall_s "sync; rm -rf $WORK/client-cache && cp -r $CLIENT_CACHE_SEED $WORK/client-cache" \
    stage "$stage $jars/*.jar >/dev/null" \
    "tar|curl" "cd $jars && tar -cf - -- *.jar | curl -fsS -o /dev/null -X POST -T - -H 'Bundle-Owner: $OWNER' $SERVER_URL/api/v1/bundles" \
    "stage --gzip" "$stage --gzip $jars/*.jar >/dev/null"
  # A one-file stage, a short command's whole cost: the JVM's start, the options, one exchange.
  echo hello >"$WORK/one-file.txt"
  time_commands stage one_file_s "rm -rf $WORK/client-cache && cp -r $CLIENT_CACHE_SEED $WORK/client-cache" \
    stage "$stage $WORK/one-file.txt >/dev/null" \
    "tar|curl" "cd $WORK && tar -cf - one-file.txt | curl -fsS -o /dev/null -X POST -T - -H 'Bundle-Owner: $OWNER' $SERVER_URL/api/v1/bundles"
  stop_pid "$SERVER_PID"
  rm -rf "$WORK/data-stage"
}
