# 5. Pod start cost: the init-container (cold JVM, with the image's flags) fetching, verifying and
# unpacking a realistic dependency set, against `curl | tar -x` of the same tar from nginx; and
# fetching the same set staged by digest, as ranges of its tar (one per two cores), against one tar.
# Then its cold start on a one-file bundle.

# The image's Java runtime (the modules its Dockerfile gives jlink, from this machine's JDK), flags
# and class-data sharing archive (bench/lib.sh, image_flags and make_archive).
INIT_RUNTIME=$WORK/init-runtime
INIT_ARCHIVE=$WORK/init-container.jsa
INIT_FLAGS=$(image_flags init-container "$INIT_ARCHIVE")
INIT_JAVA="$INIT_RUNTIME/bin/java $INIT_FLAGS -jar $ROOT/init-container/target/init-container.jar"
# The same without the archive: what class-data sharing saves.
INIT_JAVA_NO_ARCHIVE="$INIT_RUNTIME/bin/java ${INIT_FLAGS//-XX:SharedArchiveFile=$INIT_ARCHIVE/} -jar $ROOT/init-container/target/init-container.jar"

make_init_runtime() {
  local modules
  modules=$(sed -n 's/.*"--add-modules", "\([^"]*\)".*/\1/p' "$ROOT/init-container/Dockerfile")
  rm -rf "$INIT_RUNTIME"
  jlink --add-modules "$modules" --strip-java-debug-attributes --no-header-files --no-man-pages --output "$INIT_RUNTIME"
}

scenario_init() {
  local jars=$WORK/jars target=$WORK/init-target id secret
  make_init_runtime
  make_archive init-container "$INIT_ARCHIVE" "$INIT_RUNTIME/bin/java"
  [ -d "$jars" ] || python3 "$BENCH/make_jars.py" "$jars" "$JARS" "$(to_bytes "$JARS_SIZE")"
  # A plain tar with flat names, as `stage` builds it.
  (cd "$jars" && tar -cf "$WORK/www/jars.tar" -- *)
  start_server "$WORK/data-init" 384m
  read -r id secret < <(upload_v1 "$WORK/www/jars.tar")
  printf '%s' "$secret" >"$WORK/jars.secret"
  # The same jars staged by digest, as `stage` does when the server offers it: fetched as ranges.
  local by_digest
  by_digest=$(XDG_CACHE_HOME=$WORK/cache-init "$CLIENT" stage --staging-server "$SERVER_URL" \
    --namespace bench --label spark-app-selector=bench -o json "$jars"/*.jar)
  python3 -c 'import json, sys; print(json.load(sys.stdin)["resourceSecret"], end="")' <<<"$by_digest" >"$WORK/by-digest.secret"
  by_digest=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["resourceId"])' <<<"$by_digest")
  local prepare="rm -rf $target && mkdir -p $target/jars $target/files"
  time_commands init wall_s "$prepare" \
    init-container "$INIT_JAVA --staging-server $SERVER_URL --jars-resource-id $id --jars-secret-file $WORK/jars.secret --jars-dir $target/jars --files-dir $target/files" \
    "init-container, by digest" "$INIT_JAVA --staging-server $SERVER_URL --jars-resource-id $by_digest --jars-secret-file $WORK/by-digest.secret --jars-dir $target/jars --files-dir $target/files" \
    "init-container, no archive" "$INIT_JAVA_NO_ARCHIVE --staging-server $SERVER_URL --jars-resource-id $id --jars-secret-file $WORK/jars.secret --jars-dir $target/jars --files-dir $target/files" \
    "curl|tar" "curl -fsS $NGINX_URL/jars.tar | tar -x -C $target/jars"
  # Issue 18: staged by digest must not be slower than one tar. The same rounds, against the init-container's one tar.
  awk -F '\t' -v OFS='\t' '$1 == "init" && $2 == "wall_s" && $3 ~ /^init-container(, by digest)?$/ { $2 = "wall_s_against_one_tar"; print }' \
    "$RAW" >"$WORK/against-one-tar.tsv"
  cat "$WORK/against-one-tar.tsv" >>"$RAW"

  echo hello >"$WORK/one.txt"
  tar -cf "$WORK/www/one.tar" -C "$WORK" one.txt
  read -r id secret < <(upload_v1 "$WORK/www/one.tar")
  printf '%s' "$secret" >"$WORK/one.secret"
  time_commands init cold_start_s "$prepare" \
    init-container "$INIT_JAVA --staging-server $SERVER_URL --jars-resource-id $id --jars-secret-file $WORK/one.secret --jars-dir $target/jars --files-dir $target/files" \
    "init-container, no archive" "$INIT_JAVA_NO_ARCHIVE --staging-server $SERVER_URL --jars-resource-id $id --jars-secret-file $WORK/one.secret --jars-dir $target/jars --files-dir $target/files" \
    "curl|tar" "curl -fsS $NGINX_URL/one.tar | tar -x -C $target/jars"
  stop_pid "$SERVER_PID"
  rm -rf "$target"
}
