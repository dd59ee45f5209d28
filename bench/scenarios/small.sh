# 2. Small-bundle request rate: many connections fetching a tiny bundle, against nginx serving
# the same file. This measures per-request cost: routing, the secret check, headers.

scenario_small() {
  local file=$WORK/www/small.bin id secret rep
  head -c "$(to_bytes "$SMALL_SIZE")" /dev/urandom >"$file"
  start_server "$WORK/data-small" 384m
  read -r id secret < <(upload_v1 "$file")
  run_wrk "$SMALL_CONNECTIONS" 3 "$SERVER_URL/api/v1/bundles/$id" "Bearer $secret"
  for rep in $(seq "$REPS"); do
    run_wrk "$SMALL_CONNECTIONS" "$DURATION" "$SERVER_URL/api/v1/bundles/$id" "Bearer $secret"
    record small requests_per_s server "$(python3 -c "print(round($WRK_REQUESTS / $WRK_SECONDS))")"
    record small errors server "$WRK_ERRORS"
    run_wrk "$SMALL_CONNECTIONS" "$DURATION" "$NGINX_URL/small.bin"
    record small requests_per_s nginx "$(python3 -c "print(round($WRK_REQUESTS / $WRK_SECONDS))")"
    record small errors nginx "$WRK_ERRORS"
  done
  stop_pid "$SERVER_PID"
}
