#!/usr/bin/env bash
# Runs every test of Territoire on a fresh machine: template checks (lint, security), unit, DynamoDB contract,
# integration and end-to-end tests (against the project's own local AWS endpoint), the API description's lint and
# fuzzing (Spectral, schemathesis), a GeoReport v2 client (Open311), the web client's tests (unit, browser journeys), then `sam build`.
set -euo pipefail
cd "$(dirname "$0")"
source infrastructure/setup.sh
# The template's checkers: only the tests need them (./run-local.sh installs none of them).
setup_venv .venv-tools requirements-tools.txt
setup_venv .venv-checkov requirements-checkov.txt
export PATH="$PWD/.venv-tools/bin:$PATH"

echo "== template.yaml: sam validate --lint, cfn-lint (informational checks included), checkov"
sam validate --lint --region "${AWS_REGION:-eu-west-3}"
cfn-lint --include-checks I -- template.yaml
# checkov has its own virtualenv (infrastructure/setup.sh says why); .checkov.yaml lists each skip's reason.
.venv-checkov/bin/checkov --config-file .checkov.yaml

echo "== api/openapi.yaml: Spectral (OpenAPI and OWASP API security rules; api/.spectral.yaml says why any is off)"
(cd api && ./node_modules/.bin/spectral lint --fail-severity=hint --ruleset .spectral.yaml openapi.yaml)

echo "== Maven: build, unit, contract, integration and end-to-end tests"
mvn verify

echo "== schemathesis: the API fuzzed against api/openapi.yaml on a local platform, with a token of each role"
infrastructure/local/fuzz-api.sh

echo "== Open311: a third-party GeoReport v2 client (georeport, PyPI) in XML and JSON, XML validated with xmlschema"
infrastructure/local/georeport-client.sh

echo "== Web client: type check, build within its size budget, unit tests (vitest), browser journeys (Chromium, axe-core)"
setup_chromium
(cd web && npm run build && npm test && npm run e2e)

echo "== sam build: the deployable artifacts"
sam build
echo "All checks passed."
