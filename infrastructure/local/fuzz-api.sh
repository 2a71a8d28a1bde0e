#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis against its description, on a local platform of its own (free ports, the demo
# data, a token of each role): every operation, positive and negative data, the checks below, stateful links.
# Bounded in time (FUZZ_SECONDS per role); the seed is printed and FUZZ_SEED replays it.
# Failures already known (each one a reported defect, see docs/operations.md) are in api/fuzz-baseline.json; any
# other failure fails the run. Usage: infrastructure/local/fuzz-api.sh   (after `mvn package` or `mvn verify`)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infrastructure/setup.sh
setup_venv .venv-schemathesis requirements-schemathesis.txt
# A fixed seed by default, so that the test command is repeatable; FUZZ_SEED=random explores new inputs.
SEED="${FUZZ_SEED:-20261201}"
[ "$SEED" = random ] && SEED=$(( (RANDOM << 15) | RANDOM ))
SECONDS_PER_ROLE="${FUZZ_SECONDS:-45}"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
source infrastructure/local/local-target.sh
start_local_target fuzz
URL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$READY")"
echo "schemathesis against $URL, seed $SEED (replay with FUZZ_SEED=$SEED), ${SECONDS_PER_ROLE}s per role"
# FUZZ_BASELINE_UPDATE=1 records this run's failures as known (only with a defect reported for each).
BASELINE=(--baseline api/fuzz-baseline.json ${FUZZ_BASELINE_UPDATE:+--baseline-update})
status=0
# FUZZ_ROLES narrows the roles; FUZZ_ARGS adds schemathesis options (--include-path-regex ..., say).
for role in ${FUZZ_ROLES:-resident provider agent}; do
  TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tokens"][sys.argv[2]])' "$READY" "$role")"
  echo "-- as a $role"
  # One worker: the platform serves one request per function at a time, as Lambda would with one instance,
  # and CPython 3.11 before 3.11.8 can fail building ASTs from two threads (python/cpython#106905).
  .venv-schemathesis/bin/schemathesis run "$URL/openapi.json" \
    --header "Authorization: Bearer $TOKEN" --checks "$CHECKS" --mode all \
    --max-examples 5 --max-time "$SECONDS_PER_ROLE" --seed "$SEED" --workers 1 \
    --continue-on-failure "${BASELINE[@]}" --no-color --warnings off \
    --report junit --report-dir "target/schemathesis/$role" ${FUZZ_ARGS:-} || status=1
done
exit "$status"
