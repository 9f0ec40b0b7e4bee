"""FHIR R4 export (collection Bundle): golden bytes, R4B validity, and what the codes say.

Validation with the R4B models checks structure only (a status "bogus" passes it), so every
test below also asserts the values a clinic system acts on.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import Counter

import pytest

from selftrack.exports import ExportError
from selftrack.exports import fhir_codes as codes
from selftrack.exports.fhir_resources import PatientRef, narrative, parse_patient
from exports.conftest import FIRST_SESSION, NOTES, RATING_EXTRAS, SESSIONS, check_golden, set_clock
from exports.fhir_support import (
    OBSERVATION_STATUSES,
    bundle_of,
    check_narrative,
    export_text,
    identifier,
    kind_of,
    log_unfinished,
    session_resources,
)
from support import FIXED_NOW

SNOMED = "http://snomed.info/sct"


def all_resources(text: str) -> list[dict]:
    """The entries' resources as dicts, after validating the Bundle and its fullUrls."""
    bundle = bundle_of(text)
    raw = [entry.model_dump(mode="json", exclude_none=True) for entry in bundle.entry or []]
    for entry in raw:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
        assert "request" not in entry
    return [entry["resource"] for entry in raw]


def resources(text: str) -> list[dict]:
    """The sessions' resources (the outcome records' are tested in test_fhir_outcomes.py)."""
    return session_resources(all_resources(text))


def by_kind(found: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for resource in found:
        grouped.setdefault(kind_of(resource), []).append(resource)
    return grouped


def test_golden(history):
    check_golden("export.fhir.json", export_text(history, name="Alex Example").encode("utf-8"))


def test_every_session_is_a_panel_of_its_pain_scores_and_rated_spots(history):
    found = resources(export_text(history, name="Alex Example"))
    kinds = by_kind(found)
    rated = sum(1 for s in SESSIONS for t in s["t"] if t is not None)
    assert len(kinds["panel"]) == len(SESSIONS)
    assert len(kinds["tenderness"]) == rated
    assert len(kinds["pain-before"]) == sum(s["before"] is not None for s in SESSIONS)
    assert len(kinds["pain-after"]) == sum(s["after"] is not None for s in SESSIONS)
    assert len(found) == len(SESSIONS) + rated + len(kinds["pain-before"]) + len(kinds["pain-after"])
    urls = {f"urn:uuid:{r['id']}": r for r in found}
    members = Counter()
    for panel, plan in zip(kinds["panel"], SESSIONS):
        refs = [m["reference"] for m in panel["hasMember"]]
        assert all(ref in urls for ref in refs)  # every reference resolves inside the Bundle
        members.update(refs)
        inside = [urls[ref] for ref in refs]
        session_id = identifier(panel)
        assert {identifier(r).split("/")[0] for r in inside} == {session_id}
        assert sum(kind_of(r) == "tenderness" for r in inside) == sum(t is not None for t in plan["t"])
        assert "valueInteger" not in panel and "method" not in panel
    assert set(members) == {f"urn:uuid:{r['id']}" for r in found if kind_of(r) != "panel"}
    assert set(members.values()) == {1}  # each Observation belongs to exactly one session


def test_codes_say_what_each_observation_is(history):
    kinds = by_kind(resources(export_text(history)))
    for obs in kinds["tenderness"]:
        spot, snomed = obs["code"]["coding"]
        assert spot["system"] == codes.SPOT_TENDERNESS_SYSTEM and spot["code"].startswith("test-")
        assert (snomed["system"], snomed["code"]) == (SNOMED, "247348008")
        assert all(c["system"] != "http://loinc.org" for c in obs["code"]["coding"])
        assert obs["method"]["text"].startswith("Self-palpation")
        assert obs["category"][0]["coding"][0]["code"] == "survey"
    assert {o["code"]["coding"][0]["code"] for o in kinds["tenderness"]} == {
        "test-beside-spine", "test-under-dimple", "test-side-of-hip", "test-sacrum-edge",
        "test-inner-calf",
    }  # fmt: skip
    for when in ("before", "after"):
        for obs in kinds[f"pain-{when}"]:
            loinc, ours = obs["code"]["coding"]
            assert (loinc["system"], loinc["code"]) == ("http://loinc.org", "72514-3")
            assert (ours["system"], ours["code"]) == (codes.OBSERVATION_SYSTEM, f"pain-{when}-session")
            assert "method" not in obs and "bodySite" not in obs
    assert [o["valueInteger"] for o in kinds["pain-before"]] == [s["before"] for s in SESSIONS]
    assert [o["valueInteger"] for o in kinds["pain-after"]] == [
        s["after"] for s in SESSIONS if s["after"] is not None
    ]


def test_identifiers_are_stable_values_from_session_and_step(history):
    found = resources(export_text(history))
    values = [identifier(r) for r in found]
    assert len(set(values)) == len(values)
    sessions = {identifier(r) for r in found if kind_of(r) == "panel"}
    assert len(sessions) == len(SESSIONS)
    for resource in found:
        value, kind = identifier(resource), kind_of(resource)
        session, _, step = value.partition("/")
        assert session in sessions
        expected = {"panel": "", "pain-before": "pain-before", "pain-after": "pain-after"}
        assert step == expected[kind] if kind in expected else step.isdigit()
    again = resources(export_text(history))
    assert [(r["id"], identifier(r)) for r in again] == [(r["id"], identifier(r)) for r in found]


def test_statuses_finished_and_abandoned_are_final_unfinished_is_preliminary(history):
    unfinished = log_unfinished(history)
    found = resources(export_text(history))
    statuses = Counter()
    for resource in found:
        session = identifier(resource).split("/")[0]
        expected = "preliminary" if session == unfinished else "final"
        assert resource["status"] == expected, identifier(resource)
        statuses[resource["status"]] += 1
    assert set(statuses) <= OBSERVATION_STATUSES
    assert statuses["preliminary"] == 1 + 1 + 2  # panel, pain before, two rated spots (one skip)
    panels = {identifier(r): r for r in found if kind_of(r) == "panel"}
    ended = {
        p["component"][1]["valueCodeableConcept"]["coding"][0]["code"]: p for p in panels.values()
    }
    assert set(ended) == {"finished", "abandoned", "in_progress"}
    assert "end" not in panels[unfinished]["effectivePeriod"]
    abandoned = ended["abandoned"]
    assert abandoned["status"] == "final" and "stopped early" in check_narrative(abandoned)


def test_flags_are_coded_components(history):
    kinds = by_kind(resources(export_text(history)))
    flags = Counter()
    for obs in kinds["tenderness"]:
        coded = {c["code"]["coding"][0]["code"]: c for c in obs["component"]}
        assert all(c["code"]["coding"][0]["system"] == codes.OBSERVATION_SYSTEM for c in obs["component"])
        assert {"recognised", "referred", "nerve-like"} <= set(coded)
        for name in ("recognised", "referred", "nerve-like"):
            flags[name] += coded[name]["valueBoolean"] is True
        if "referred-to" in coded:
            assert coded["referred-to"]["valueString"] == "down the back of the thigh"
    extras = RATING_EXTRAS.values()
    assert flags["recognised"] == sum(bool(e.get("recognised")) for e in extras)
    assert flags["referred"] == sum(bool(e.get("referred") or e.get("referred_to")) for e in extras)
    assert flags["nerve-like"] == sum(bool(e.get("nerve")) for e in extras)
    nerve = [o for o in kinds["tenderness"] if o["component"][2]["valueBoolean"]]
    assert len(nerve) == 1 and nerve[0]["note"][0]["text"] == "@ tingling, moved off"
    assert "nerve-like" in check_narrative(nerve[0])


def test_methods_come_from_the_session_tool(history):
    kinds = by_kind(resources(export_text(history)))
    assert {o["method"]["text"] for o in kinds["tenderness"]} == {
        "Self-palpation with a ball",
        "Self-palpation with a cane",
        "Self-palpation with the hands",
        "Self-palpation with a foam roller",
    }


def _site(obs):
    site = obs["bodySite"]
    coded = [c["code"] for c in site.get("coding", []) if c["system"] == SNOMED]
    sides = [
        ext["valueCodeableConcept"]["coding"][0]["code"]
        for ext in site.get("extension", [])
        if ext["url"] == codes.LATERALITY_URL
    ]
    return coded, sides


def test_body_sites_by_muscle_or_region_with_laterality(history):
    spots = {o["bodySite"]["text"]: _site(o) for o in by_kind(resources(export_text(history)))["tenderness"]}
    # one muscle without a known code: its region
    assert spots["Beside the spine, low back (left side)"] == (["37822005"], ["7771000"])
    assert spots["Beside the spine, low back (right side)"] == (["37822005"], ["24028007"])
    # one muscle with a code: the muscle
    assert spots["Under the dimple (left side)"] == (["206007"], ["7771000"])
    # several muscles: the region (side of the hip)
    assert spots["Side of the hip, below the crest (right side)"] == (["29836001"], ["24028007"])
    assert spots["Edge of the sacrum (midline)"] == (["46862004"], [])
    assert spots["Inner calf (left side)"] == (["53840002"], ["7771000"])


def test_notes_and_session_notes(history):
    kinds = by_kind(resources(export_text(history)))
    notes = [n["text"] for o in kinds["tenderness"] for n in o.get("note", [])]
    assert "Spreads to: down the back of the thigh" in notes
    assert "Größer, aber weicher – gut" in notes
    panel_notes = [p["note"][0]["text"] for p in kinds["panel"] if "note" in p]
    assert panel_notes == [NOTES[n] for n in sorted(NOTES)]


def test_every_resource_has_a_short_escaped_narrative(history):
    found = resources(export_text(history, name="Alex <Example> & Co"))
    for resource in found:
        text = check_narrative(resource)
        assert 10 < len(text) < 200
    tenderness = by_kind(found)["tenderness"][0]
    assert check_narrative(tenderness).startswith("Tenderness at Beside the spine, low back (left side): 7 of 10")


def test_narrative_escapes_markup_and_drops_what_xml_cannot_hold():
    made = narrative('<script>alert("x")</script> & \x01 ok')
    div = ElementTree.fromstring(made["div"])
    assert div.text == '<script>alert("x")</script> & \ufffd ok'
    assert made["status"] == "generated"


def test_subject_is_display_only_without_a_patient(history):
    found = resources(export_text(history, name="Alex Example"))
    assert {tuple(sorted(r["subject"].items())) for r in found} == {(("display", "Alex Example"),)}
    unnamed = resources(export_text(history))
    assert {r["subject"]["display"] for r in unnamed} == {"Person not named"}


def test_subject_is_a_patient_reference(history):
    found = resources(export_text(history, patient="Patient/123", name="Alex"))
    assert {(r["subject"]["reference"], r["subject"]["display"]) for r in found} == {("Patient/123", "Alex")}
    by_identifier = resources(export_text(history, patient="urn:oid:1.2.36.146|MRN-77"))
    subjects = {repr(r["subject"]) for r in by_identifier}
    assert subjects == {repr({"identifier": {"system": "urn:oid:1.2.36.146", "value": "MRN-77"}})}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Patient/123", PatientRef(id="123")),
        ("Patient/a-b.C", PatientRef(id="a-b.C")),
        ("https://clinic.example/mrn|00042", PatientRef(system="https://clinic.example/mrn", value="00042")),
        ("urn:oid:1.2.3|x y", PatientRef(system="urn:oid:1.2.3", value="x y")),
        ("", None),
    ],
)
def test_patient_references_read(text, expected):
    assert parse_patient(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "123", "Patient/", "Patient/has space", "Patient/" + "x" * 65, "Practitioner/1",
        "Patient/1/_history/2", "|value", "no-scheme|value", "urn:oid:1.2|", "urn:oid:1.2| x",
        "urn:oid:1.2|a|b", "urn:oid:1.2|tab\there",
    ],
)  # fmt: skip
def test_bad_patient_references_are_refused_in_one_line(text):
    with pytest.raises(ExportError) as refused:
        parse_patient(text)
    message = str(refused.value)
    assert "\n" not in message and message.startswith("--patient ")
    assert "Patient/ID" in message


def test_an_empty_bundle(empty_tracker):
    text = export_text(empty_tracker)
    bundle = bundle_of(text)
    assert bundle.entry is None and "entry" not in text


FREE_TEXT = 'said "ouch" \\ <b>&amp;</b>\ttab, Größer – 東京 😀'


def test_a_rating_s_free_text_and_dose_reach_its_observation_unchanged(empty_tracker):
    """A rated spot's Observation is written from parts encoded apart: its text survives."""
    set_clock(empty_tracker, FIRST_SESSION)
    session = empty_tracker.start_session("export-test", "left", tool="hands")
    empty_tracker.record_rating(
        session.id, 0, 6, recognised=True, referred=True, referred_to=FREE_TEXT, note=FREE_TEXT,
        hold_seconds=40, tool="elbow", pressure="firm",
    )  # fmt: skip
    set_clock(empty_tracker, FIXED_NOW)
    (rating,) = [r for r in resources(export_text(empty_tracker)) if kind_of(r) == "tenderness"]
    assert rating["note"] == [{"text": f"Spreads to: {FREE_TEXT}"}, {"text": FREE_TEXT}]
    by_code = {c["code"]["coding"][0]["code"]: c for c in rating["component"]}
    assert by_code["referred-to"]["valueString"] == FREE_TEXT
    assert [by_code[flag]["valueBoolean"] for flag in ("recognised", "referred", "nerve-like")] == [True, True, False]
    assert by_code["hold-seconds"]["valueQuantity"]["value"] == 40
    assert by_code["spot-tool"]["valueCodeableConcept"]["coding"][0]["code"] == "elbow"
    assert by_code["pressure"]["valueCodeableConcept"]["text"] == "firm"
    assert check_narrative(rating).endswith(
        "; recognised, referred, held 40 s, with an elbow, firm pressure."
    )
