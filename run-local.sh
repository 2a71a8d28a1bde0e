#!/usr/bin/env bash
# Runs Territoire locally: ./run-local.sh [run [--no-demo] | token --sub ID --groups G1,G2 ... | bench-cold-start [runs] | bench-bookings [threads] | bench-consultations [threads] | bench-telemetry [devices] [messages] [readings]]
# No AWS account and no Docker engine needed (see README).
set -euo pipefail
cd "$(dirname "$0")"
source infrastructure/setup.sh
CP_FILE=infrastructure/local-runtime/target/runtime-classpath.txt
if [ "${1:-run}" != "token" ] || [ ! -f "$CP_FILE" ]; then
  mvn -q package -DskipTests >&2
fi
# The web client that the run command serves (web/dist; npm ci is done by setup.sh).
case "${1:-run}" in run|--*) npm --prefix web run --silent build >&2 ;; esac
JVM_OPTS=(-XX:TieredStopAtLevel=1)
# Netty (Moquette) still uses sun.misc.Unsafe; JDK 23+ warns unless told it is allowed.
if [ "$(java_major "$JAVA_HOME")" -ge 23 ]; then JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow); fi
export AWS_EMF_ENVIRONMENT=Local AWS_EMF_SERVICE_NAME=territoire-local AWS_EMF_SERVICE_TYPE=Local
exec java "${JVM_OPTS[@]}" -Dterritoire.root="$PWD" \
  -cp "infrastructure/local-runtime/target/classes:$(cat "$CP_FILE")" \
  org.territoire.local.runtime.Main "$@"
