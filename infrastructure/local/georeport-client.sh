#!/usr/bin/env bash
# Points a third-party Open311 client at a local platform of its own (free ports, the demo data, a token of each
# role, as fuzz-api.sh starts it): `georeport` (PyPI) in XML and in JSON, every XML answer validated against
# infrastructure/local/georeport/georeport-v2*.xsd with xmlschema (infrastructure/local/georeport/georeport_client.py
# says what it drives). Usage: infrastructure/local/georeport-client.sh   (after `mvn package` or `mvn verify`)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infrastructure/setup.sh
setup_venv .venv-georeport requirements-georeport.txt
source infrastructure/local/local-target.sh
start_local_target georeport
.venv-georeport/bin/python infrastructure/local/georeport/georeport_client.py "$READY"
