# 6. Staging cost: `submit-client stage` of the dependency set against `tar -c | curl -T -` into
# the same server; also `stage --gzip`, to show what compressing compressed jars costs.

scenario_stage() {
  local jars=$WORK/jars
  [ -d "$jars" ] || python3 "$BENCH/make_jars.py" "$jars" "$JARS" "$(to_bytes "$JARS_SIZE")"
  start_server "$WORK/data-stage" 384m
  # A first staging every time: a namespace that holds nothing yet, and no digest cache.
  local stage="XDG_CACHE_HOME=\$(mktemp -d) java -jar $ROOT/submit-client/target/submit-client.jar stage --staging-server $SERVER_URL --namespace bench-\$(date +%s%N) --label spark-app-selector=bench -o json"
  # Every run stores a bundle; the data directory is removed at the end.
  time_commands stage wall_s "sync" \
    stage "$stage $jars/*.jar >/dev/null" \
    "tar|curl" "cd $jars && tar -cf - -- *.jar | curl -fsS -o /dev/null -X POST -T - -H 'Bundle-Owner: $OWNER' $SERVER_URL/api/v1/bundles" \
    "stage --gzip" "$stage --gzip $jars/*.jar >/dev/null"
  stop_pid "$SERVER_PID"
  rm -rf "$WORK/data-stage"
}
