#!/usr/bin/env bash
# Runs Territoire locally: ./run-local.sh [run [--no-demo] [--verbose] | token --sub ID --groups G1,G2 ... | bench-cold-start [runs] [--levers | --levers-only] [--classes | --classes-only] [--primed-only | --primed-only=events] [--classes-primed] [--only=A,B] [--baseline=DIR] | bench-bookings [threads] | bench-consultations [threads] | bench-telemetry [devices] [messages] [readings] | bench-telemetry-week [reps] | bench-throughput [threads] [bookings] | bench-compression [runs] | bench-heic [megapixels] [runs] | capacity]
# No AWS account and no Docker engine needed (see README). Functions log to .local/logs/<function>.log;
# --verbose puts their JSON lines back on the console.
set -euo pipefail
cd "$(dirname "$0")"
source infrastructure/setup.sh
CP_FILE=infrastructure/local-runtime/target/runtime-classpath.txt
if [ "${1:-run}" != "token" ] || [ ! -f "$CP_FILE" ]; then
  # Quiet, batch mode (no progress output): the console is for the platform's own lines.
  mvn -q -B package -DskipTests >&2
fi
# The web client that the run command serves (web/dist; npm ci is done by setup.sh).
case "${1:-run}" in run|--*) npm --prefix web run --silent build >&2 ;; esac
JVM_OPTS=(-XX:TieredStopAtLevel=1)
# Netty (Moquette) still uses sun.misc.Unsafe; JDK 23+ warns unless told it is allowed.
if [ "$(java_major "$JAVA_HOME")" -ge 23 ]; then JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow); fi
# The IoT Device SDK's client (aws-crt) loads its native library; JDK 24+ warns unless told it may (JEP 472).
if [ "$(java_major "$JAVA_HOME")" -ge 22 ]; then JVM_OPTS+=(--enable-native-access=ALL-UNNAMED); fi
export AWS_EMF_ENVIRONMENT=Local AWS_EMF_SERVICE_NAME=territoire-local AWS_EMF_SERVICE_TYPE=Local
exec java "${JVM_OPTS[@]}" -Dterritoire.root="$PWD" \
  -cp "infrastructure/local-runtime/target/classes:$(cat "$CP_FILE")" \
  org.territoire.local.runtime.Main "$@"
