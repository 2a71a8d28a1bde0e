#!/usr/bin/env bash
# Runs every test of Territoire on a fresh machine: template checks (lint, security), unit, DynamoDB contract,
# integration and end-to-end tests (against the project's own local AWS endpoint), the web client's tests, then `sam build`.
set -euo pipefail
cd "$(dirname "$0")"
source infrastructure/setup.sh
setup_venv .venv-checkov requirements-checkov.txt

echo "== template.yaml: sam validate --lint, cfn-lint (informational checks included), checkov"
sam validate --lint --region "${AWS_REGION:-eu-west-3}"
cfn-lint --include-checks I -- template.yaml
# checkov has its own virtualenv (infrastructure/setup.sh says why); .checkov.yaml lists each skip's reason.
.venv-checkov/bin/checkov --config-file .checkov.yaml

echo "== Maven: build, unit, contract, integration and end-to-end tests"
mvn verify

echo "== Web client: type check, build within its size budget, unit tests (vitest), browser journeys (Chromium, axe-core)"
setup_chromium
(cd web && npm run build && npm test && npm run e2e)

echo "== sam build: the deployable artifacts"
sam build
echo "All checks passed."
