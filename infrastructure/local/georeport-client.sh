#!/usr/bin/env bash
# Points a third-party Open311 client at a local platform of its own (free ports, the demo data, a token of each
# role, as fuzz-api.sh starts it): `georeport` (PyPI) in XML and in JSON, every XML answer validated against
# infrastructure/local/georeport/georeport-v2*.xsd with xmlschema (infrastructure/local/georeport/georeport_client.py
# says what it drives). Usage: infrastructure/local/georeport-client.sh   (after `mvn package` or `mvn verify`)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infrastructure/setup.sh
setup_venv .venv-georeport requirements-georeport.txt
WORK="$(mktemp -d)"
READY="$WORK/target.json"
export AWS_EMF_ENVIRONMENT=Local AWS_EMF_SERVICE_NAME=territoire-georeport AWS_EMF_SERVICE_TYPE=Local
java -XX:TieredStopAtLevel=1 -Dterritoire.root="$PWD" \
  -cp "infrastructure/local-runtime/target/classes:$(cat infrastructure/local-runtime/target/runtime-classpath.txt)" \
  org.territoire.local.runtime.FuzzTarget "$READY" > "$WORK/platform.log" 2>&1 &
TARGET=$!
trap 'kill "$TARGET" 2>/dev/null || true; wait "$TARGET" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 180); do
  [ -f "$READY" ] && break
  kill -0 "$TARGET" 2>/dev/null || { cat "$WORK/platform.log" >&2; echo "the local platform did not start" >&2; exit 1; }
  sleep 1
done
[ -f "$READY" ] || { echo "the local platform was not ready within 3 minutes" >&2; exit 1; }
.venv-georeport/bin/python infrastructure/local/georeport/georeport_client.py "$READY"
