"""A transaction export POSTed twice to a real FHIR R4 server creates each resource once.

Needs a server on this machine: `tests/fhir_server/run.sh` installs and starts one (SEKMET,
from PyPI) on 127.0.0.1 and runs this test with SELFTRACK_TEST_FHIR_URL set; without it the
test is skipped. test_fhir_transaction.py checks the same against the specification's rules
on every run.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from selftrack.clock import Clock
from selftrack.exports import fhir_codes as codes
from selftrack.tracker import Tracker
from exports.conftest import EXPORT_PROTOCOLS, SESSIONS, ZONE, log_history
from exports.fhir_support import export_text, identifier
from support import FIXED_NOW

URL_ENV = "SELFTRACK_TEST_FHIR_URL"
pytestmark = pytest.mark.slow


@pytest.fixture
def server(network_guard):
    """The server's base URL, reachable through the network guard (loopback only)."""
    base = os.environ.get(URL_ENV, "").rstrip("/")
    if not base:
        pytest.skip(f"no FHIR server: run tests/fhir_server/run.sh (it sets {URL_ENV})")
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        pytest.fail(f"{URL_ENV} must be a server on this machine, not {parts.hostname}")
    endpoints = {(parts.hostname, parts.port or 80), ("127.0.0.1", parts.port or 80)}
    added = endpoints - network_guard.allowed
    network_guard.allowed |= added
    yield base
    network_guard.allowed -= added


def call(base: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}/{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def ours(base: str) -> list[dict]:
    """Every Observation carrying a selftrack identifier, all pages."""
    query = urllib.parse.urlencode({"identifier": f"{codes.IDENTIFIER_SYSTEM}|", "_count": "500"})
    found, path = [], f"Observation?{query}"
    while path:
        status, page = call(base, "GET", path)
        assert status == 200, page
        found += [e["resource"] for e in page.get("entry", [])]
        following = [link["url"] for link in page.get("link", []) if link["relation"] == "next"]
        path = following[0][len(base) + 1 :] if following else ""
    return found


@pytest.fixture
def fresh_history(database_url):
    """The fixed history with new random session ids, so a server that keeps data between
    runs starts without them."""
    with Tracker(database_url, protocols_dir=EXPORT_PROTOCOLS, clock=Clock(fixed=FIXED_NOW, tz_name=ZONE)) as tracker:
        log_history(tracker)
        yield tracker


def test_posted_twice_creates_each_resource_once(server, fresh_history):
    system, value = "urn:oid:1.2.36.146.595.217.0.1", f"MRN-{uuid.uuid4()}"
    status, patient = call(
        server, "POST", "Patient", {"resourceType": "Patient", "identifier": [{"system": system, "value": value}]}
    )
    assert status == 201, patient
    bundle = json.loads(
        export_text(fresh_history, bundle="transaction", patient=f"{system}|{value}", name="Alex Example")
    )
    sessions = {identifier(e["resource"]).split("/")[0] for e in bundle["entry"]}
    assert len(sessions) == len(SESSIONS)

    def stored() -> list[dict]:
        return [r for r in ours(server) if identifier(r).split("/")[0] in sessions]

    status, first = call(server, "POST", "", bundle)
    assert status == 200, first
    assert [e["response"]["status"][:3] for e in first["entry"]] == ["201"] * len(bundle["entry"])
    after_first = {r["id"]: r for r in stored()}
    assert len(after_first) == len(bundle["entry"])

    status, second = call(server, "POST", "", bundle)
    assert status == 200, second
    assert [e["response"]["status"][:3] for e in second["entry"]] == ["200"] * len(bundle["entry"])
    after_second = {r["id"]: r for r in stored()}
    assert after_second.keys() == after_first.keys()
    assert sorted(identifier(r) for r in after_second.values()) == sorted(
        identifier(e["resource"]) for e in bundle["entry"]
    )
    assert all(r["meta"].get("versionId", "1") == "1" for r in after_second.values())

    # references resolved by the server: members to stored ids, the subject to its Patient
    for resource in after_second.values():
        assert resource["subject"]["reference"] == f"Patient/{patient['id']}"
        for member in resource.get("hasMember", []):
            kind, _, member_id = member["reference"].partition("/")
            assert kind == "Observation" and member_id in after_second
            assert identifier(after_second[member_id]).startswith(identifier(resource) + "/")
