#!/usr/bin/env bash
# Runs Territoire locally: ./run-local.sh [run [--no-demo] | token --sub ID --groups G1,G2 ... | bench-cold-start [runs]]
# No AWS account and no Docker engine needed (see README).
set -euo pipefail
cd "$(dirname "$0")"
source infrastructure/setup.sh
CP_FILE=infrastructure/local-runtime/target/runtime-classpath.txt
if [ "${1:-run}" != "token" ] || [ ! -f "$CP_FILE" ]; then
  mvn -q package -DskipTests >&2
fi
export AWS_EMF_ENVIRONMENT=Local AWS_EMF_SERVICE_NAME=territoire-local AWS_EMF_SERVICE_TYPE=Local
exec java -XX:TieredStopAtLevel=1 -Dterritoire.root="$PWD" \
  -cp "infrastructure/local-runtime/target/classes:$(cat "$CP_FILE")" \
  org.territoire.local.runtime.Main "$@"
