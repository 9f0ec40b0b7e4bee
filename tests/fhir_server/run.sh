#!/usr/bin/env bash
# Run the FHIR export's slow test against a real FHIR R4 server on loopback.
#
# The server is SEKMET (PyPI: sekmet-fhir, Apache-2.0), a FHIR R4 test server whose transaction
# processing follows the specification (conditional create, urn:uuid and conditional
# references). It is installed once into its own virtual environment (not the project's),
# started on 127.0.0.1 with a throw-away data folder, and stopped at the end.
#
#   tests/fhir_server/run.sh            # install if needed, start, run the test, stop
#   SELFTRACK_FHIR_SERVER_HOME=DIR ...  # where its virtual environment lives
set -euo pipefail
cd "$(dirname "$0")/../.."

port=${SELFTRACK_FHIR_SERVER_PORT:-8091}
home=${SELFTRACK_FHIR_SERVER_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/selftrack-fhir-server}
python=${PYTHON:-.venv/bin/python}
venv="$home/venv"

if [ ! -x "$venv/bin/sekmet" ]; then
  echo "fhir-server: installing sekmet-fhir into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "sekmet-fhir==0.1.1"
fi

data=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

cat >"$data/settings.yaml" <<SETTINGS
base_url: http://127.0.0.1:$port/fhir
host: 127.0.0.1
port: $port
data_dir: $data
simulator:
  enabled: false
log_inbound: false
SETTINGS

SEKMET_CONFIG="$data/settings.yaml" "$venv/bin/sekmet" serve >"$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://127.0.0.1:$port/fhir/metadata" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$data/server.log" >&2; exit 1; fi
  sleep 0.2
done
echo "fhir-server: SEKMET on http://127.0.0.1:$port/fhir (pid $pid)" >&2

SELFTRACK_TEST_FHIR_URL="http://127.0.0.1:$port/fhir" \
  "$python" -m pytest -q -m slow tests/exports/test_fhir_server.py "$@"
