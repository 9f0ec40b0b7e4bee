"""FHIR transaction Bundle (conditional creates) and NDJSON: safe to send twice, streamed.

The transaction is POSTed to a model of the specification's processing rules
(exports/fhir_spec_server.py cites them); test_fhir_server.py sends it to a real server.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.exports.fhir_export import write_fhir_ndjson
from selftrack.exports.times import LocalTime
from exports.conftest import FIRST_SESSION, SESSIONS, set_clock
from exports.fhir_spec_server import SpecServer, TransactionFailed
from exports.fhir_support import (
    bundle_of, export_text, identifier, identifier_of, is_outcome, kind_of, ndjson_resources,
)  # fmt: skip
from support import FIXED_NOW


def transaction(tracker, **request) -> dict:
    text = export_text(tracker, bundle="transaction", **request)
    bundle_of(text, "transaction")  # valid R4B
    return json.loads(text)


def test_entries_are_conditional_creates_on_the_identifier(history):
    bundle = transaction(history)
    entries = bundle["entry"]
    full_urls = [e["fullUrl"] for e in entries]
    assert len(set(full_urls)) == len(full_urls)
    assert all(url.startswith("urn:uuid:") for url in full_urls)
    for entry in entries:
        resource, request = entry["resource"], entry["request"]
        assert "id" not in resource  # the server assigns ids on create
        system = identifier_of(resource)["system"]
        assert request == {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier={system}|{identifier(resource)}",
        }
        for member in resource.get("hasMember", []):
            assert member["reference"] in full_urls
    collection = json.loads(export_text(history))
    assert [e["fullUrl"] for e in collection["entry"]] == full_urls
    assert [identifier(e["resource"]) for e in collection["entry"]] == [
        identifier(e["resource"]) for e in entries
    ]


def test_posted_twice_each_resource_is_created_once(history):
    server = SpecServer()
    bundle = transaction(history)
    first = server.transaction(bundle)
    assert first == ["201 Created"] * len(bundle["entry"])
    stored = {key: json.dumps(value, sort_keys=True) for key, value in server.store.items()}
    second = server.transaction(transaction(history))
    assert second == ["200 OK"] * len(bundle["entry"])
    assert {key: json.dumps(value, sort_keys=True) for key, value in server.store.items()} == stored
    # each identifier once, and each panel's members are stored resources of its session
    values = [identifier(r) for r in server.store.values()]
    assert len(values) == len(set(values)) == len(bundle["entry"])
    panels = [r for r in server.store.values() if not is_outcome(r) and kind_of(r) == "panel"]
    assert len(panels) == len(SESSIONS)
    # a weekly form's scores point to its QuestionnaireResponse, stored once
    for score in [r for r in server.store.values() if r.get("derivedFrom")]:
        (source,) = score["derivedFrom"]
        kind, _, source_id = source["reference"].partition("/")
        assert kind == "QuestionnaireResponse"
        assert identifier(score).startswith(identifier(server.store[(kind, source_id)]) + "/")
    for panel in panels:
        for member in panel["hasMember"]:
            kind, _, member_id = member["reference"].partition("/")
            target = server.store[(kind, member_id)]
            assert identifier(target).split("/")[0] == identifier(panel)


def test_a_later_export_adds_only_the_new_session(history):
    server = SpecServer()
    server.transaction(transaction(history))
    before = server.count()
    set_clock(history, FIRST_SESSION + timedelta(days=85))
    session = history.start_session("export-test", "left", tool="ball", pain_before=4)
    for step, value in enumerate((3, 2, 1, 1, 0)):
        history.record_rating(session.id, step, value)
    history.finish(session.id, pain_after=2)
    set_clock(history, FIXED_NOW)
    statuses = server.transaction(transaction(history))
    assert statuses.count("201 Created") == 1 + 1 + 5 + 1  # panel, pain before, 5 spots, pain after
    assert server.count() == before + 8
    new_panel = [r for r in server.store.values() if identifier(r) == session.id]
    assert len(new_panel) == 1 and len(new_panel[0]["hasMember"]) == 7


def test_a_patient_identifier_becomes_a_reference_the_server_resolves(history):
    system, value = "urn:oid:1.2.36.146.595.217.0.1", "MRN-0042"
    bundle = transaction(history, patient=f"{system}|{value}", name="Alex Example")
    subjects = {json.dumps(e["resource"]["subject"], sort_keys=True) for e in bundle["entry"]}
    assert subjects == {
        json.dumps(
            {
                "reference": f"Patient?identifier={system}|{value}",
                "identifier": {"system": system, "value": value},
                "display": "Alex Example",
            },
            sort_keys=True,
        )
    }
    server = SpecServer()
    with pytest.raises(TransactionFailed):  # no such Patient yet: nothing is stored
        server.transaction(bundle)
    assert server.count() == 0
    patient = server.create({"resourceType": "Patient", "identifier": [{"system": system, "value": value}]})
    server.transaction(bundle)
    assert {r["subject"]["reference"] for r in server.store.values() if r["resourceType"] == "Observation"} == {
        patient
    }


def test_a_patient_id_is_a_plain_reference(history):
    bundle = transaction(history, patient="Patient/123")
    assert {e["resource"]["subject"]["reference"] for e in bundle["entry"]} == {"Patient/123"}


# -- NDJSON ----------------------------------------------------------------------------------


def test_ndjson_holds_the_same_resources_one_per_line(history):
    lines = ndjson_resources(export_text(history, "fhir-ndjson", name="Alex Example"))
    collection = [e["resource"] for e in json.loads(export_text(history, name="Alex Example"))["entry"]]
    assert [r["id"] for r in lines] == [r["id"] for r in collection]
    ids = {r["id"] for r in lines}
    for line, resource in zip(lines, collection):
        members = [m["reference"] for m in line.get("hasMember", [])]
        assert all(ref.startswith("Observation/") and ref[12:] in ids for ref in members)
        assert members == [f"Observation/{m['reference'][9:]}" for m in resource.get("hasMember", [])]
        sources = [m["reference"] for m in line.get("derivedFrom", [])]
        assert all(ref.startswith("QuestionnaireResponse/") and ref[22:] in ids for ref in sources)
        assert sources == [f"QuestionnaireResponse/{m['reference'][9:]}" for m in resource.get("derivedFrom", [])]
        for key in ("hasMember", "derivedFrom"):
            line.pop(key, None)
            resource.pop(key, None)
        assert line == resource


def test_ndjson_is_written_a_session_at_a_time(history):
    """Each session's lines are in the stream before the next session is read."""
    from selftrack.storage import export_reads

    with history.store.reading() as scope:
        ids = export_reads.session_ids(scope)
        records = list(export_reads.iter_sessions(scope.conn, ids))
    out = io.StringIO(newline="")
    seen: list[int] = []

    def one_at_a_time():
        for record in records:
            seen.append(out.getvalue().count("\n"))
            yield record

    count = write_fhir_ndjson(out, one_at_a_time(), LocalTime(history.clock.tz)).resources
    assert seen[0] == 0 and seen == sorted(seen) and len(set(seen)) == len(records)
    assert out.getvalue().count("\n") == count


def test_ndjson_of_nothing_is_empty(empty_tracker):
    assert export_text(empty_tracker, "fhir-ndjson") == ""


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def db(history) -> str:
    location = history.db_location
    history.close()
    return location


def run(*args):
    return CliRunner().invoke(cli, list(args), env={"TZ": "Europe/London"})


def test_cli_transaction_and_ndjson(db):
    result = run("--db", db, "export", "--format", "fhir", "--bundle", "transaction", "--patient", "Patient/9")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout)["type"] == "transaction"
    lines = run("--db", db, "export", "--format", "fhir-ndjson")
    assert lines.exit_code == 0 and lines.stderr == ""
    assert len(ndjson_resources(lines.stdout)) == len(json.loads(run("--db", db, "export", "--format", "fhir").stdout)["entry"])


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "fhir", "--bundle", "batch"], "unknown bundle type 'batch' (choose collection or transaction)"),
        (["--format", "fhir", "--bundle", ""], "unknown bundle type '' (choose collection or transaction)"),
        (["--format", "csv", "--bundle", "transaction"], "--bundle is for --format fhir only"),
        (["--format", "fhir", "--patient", "123"], "--patient '123': give Patient/ID"),
        (["--format", "fhir-ndjson", "--patient", "Patient/a b"], "--patient 'Patient/a b' is not a FHIR id"),
        (["--format", "json", "--patient", "Patient/1"], "--patient is for --format fhir or fhir-ndjson only"),
        (["--format", "fhir", "--excel"], "--excel is for --format csv only"),
        (["--format", "xlsx"], "an Excel workbook needs a file: add -o FILE"),
    ],
)
def test_cli_refuses_bad_options_in_one_line(db, args, message):
    result = run("--db", db, "export", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("selftrack: ") and message in result.stderr


def test_cli_says_how_to_get_ndjson_when_the_bundle_is_large(db, monkeypatch, tmp_path):
    monkeypatch.setattr("selftrack.exports.LARGE_BUNDLE", 20)
    result = run("--db", db, "export", "--format", "fhir")
    assert result.exit_code == 0
    (hint,) = result.stderr.splitlines()
    assert "resources (large: over 20)" in hint and "--format fhir-ndjson" in hint
    to_file = run("--db", db, "export", "--format", "fhir", "-o", str(tmp_path / "b.json"))
    assert "--format fhir-ndjson" in to_file.stderr.splitlines()[-1]
    ndjson = run("--db", db, "export", "--format", "fhir-ndjson")
    assert ndjson.stderr == ""
