# Sourced by the tools that test the platform from outside (fuzz-api.sh, georeport-client.sh):
# start_local_target NAME starts the local platform with its demo tokens and keys (FuzzTarget) on
# free ports, waits until it is ready, stops it when the calling script exits, and sets READY to
# the JSON file that names its URL, tokens and keys.
start_local_target() {
  WORK="$(mktemp -d)"
  READY="$WORK/target.json"
  export AWS_EMF_ENVIRONMENT=Local AWS_EMF_SERVICE_NAME="territoire-$1" AWS_EMF_SERVICE_TYPE=Local
  java -XX:TieredStopAtLevel=1 -Dterritoire.root="$PWD" \
    -cp "infrastructure/local-runtime/target/classes:$(cat infrastructure/local-runtime/target/runtime-classpath.txt)" \
    org.territoire.local.runtime.FuzzTarget "$READY" > "$WORK/platform.log" 2>&1 &
  TARGET=$!
  trap 'kill "$TARGET" 2>/dev/null || true; wait "$TARGET" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 180); do
    [ -f "$READY" ] && return 0
    kill -0 "$TARGET" 2>/dev/null || { cat "$WORK/platform.log" >&2; echo "the local platform did not start" >&2; exit 1; }
    sleep 1
  done
  echo "the local platform was not ready within 3 minutes" >&2
  exit 1
}
