"""FHIR R4 of the outcome records and the dose: R4B-valid, and coded as docs/export-formats.md
says (LOINC only where the code was confirmed, selftrack's code system otherwise), with stable
identifiers and the patient as subject (issue 16)."""

from __future__ import annotations

import json

from selftrack.exports import fhir_codes as codes
from exports.conftest import CHECKINS, PSFS_ACTIVITIES, RATING_DOSES, WEEKLY_FORMS
from exports.fhir_support import bundle_of, check_narrative, export_text, identifier, is_outcome, ndjson_resources

OBS = codes.OBSERVATION_SYSTEM


def outcome_resources(tracker, **request) -> list[dict]:
    text = export_text(tracker, **request)
    bundle_of(text, request.get("bundle", "collection"))  # every resource valid R4B
    return [e["resource"] for e in json.loads(text)["entry"] if is_outcome(e["resource"])]


def coded(resource: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in resource.get("code", {}).get("coding", [])}


def test_each_check_in_is_three_observations_with_their_codes(history):
    found = [r for r in outcome_resources(history) if r["resourceType"] == "Observation" and identifier(r).startswith("checkin/")]
    assert len(found) == 3 * len(CHECKINS)
    back = [r for r in found if (OBS, "morning-back-pain") in coded(r)]
    leg = [r for r in found if (OBS, "morning-leg-pain") in coded(r)]
    night = [r for r in found if (OBS, "night-sleep") in coded(r)]
    assert [r["valueInteger"] for r in back] == [c[1] for c in CHECKINS]
    assert [r["valueInteger"] for r in leg] == [c[2] for c in CHECKINS]
    assert [r["valueInteger"] for r in night] == [c[3] for c in CHECKINS]
    for r in back + leg:  # pain now, 0-10, reported: the LOINC pain score, told apart by our code
        assert (codes.LOINC, "72514-3") in coded(r)
    assert all((codes.LOINC, "72514-3") not in coded(r) for r in night)
    assert back[0]["bodySite"]["coding"] == [{"system": codes.SNOMED, "code": "37822005", "display": "Lower back structure"}]
    assert [r["component"][0]["valueBoolean"] for r in leg] == [c[4] for c in CHECKINS]
    assert leg[0]["component"][0]["code"]["coding"][0]["code"] == "below-knee"
    assert identifier(back[0]) == "checkin/2026-09-02T06:05:00Z/back-pain"
    assert back[0]["effectiveDateTime"] == "2026-09-02T07:05:00+01:00"
    assert {r["status"] for r in found} == {"final"}
    assert "Low back pain in the morning: 6 of 10" in check_narrative(back[0])


def test_each_weekly_form_is_a_questionnaire_response_with_its_scores(history):
    found = outcome_resources(history)
    responses = [r for r in found if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == len(WEEKLY_FORMS)
    first = responses[0]
    assert first["questionnaire"] == "https://selftrack.org/fhir/Questionnaire/weekly-function|1"
    assert first["status"] == "completed"
    assert first["identifier"] == {"system": codes.RESPONSE_IDENTIFIER_SYSTEM, "value": "weekly-form/2026-09-01T06:20:00Z"}
    assert [item["linkId"] for item in first["item"]] == [
        "peg-pain", "peg-enjoyment", "peg-activity", "psfs-1", "psfs-2", "psfs-3",
    ]  # fmt: skip  (no PGIC in the first form: nothing to compare with yet)
    assert [item["text"] for item in first["item"][3:]] == list(PSFS_ACTIVITIES)
    assert [item["answer"][0]["valueInteger"] for item in first["item"]] == [6, 5, 6, 3, 4, 2]
    last = responses[-1]["item"][-1]
    assert last["linkId"] == "pgic"
    assert last["answer"] == [{"valueCoding": {"system": codes.PGIC_SYSTEM, "code": "2", "display": "much improved"}}]
    peg = [r for r in found if (codes.LOINC, "91147-9") in coded(r)]
    psfs = [r for r in found if (OBS, "psfs-score") in coded(r)]
    assert [r["valueQuantity"]["value"] for r in peg] == [round(sum(p) / 3, 2) for _d, p, _s, _g in WEEKLY_FORMS]
    assert [r["valueQuantity"]["value"] for r in psfs] == [round(sum(s) / 3, 2) for _d, _p, s, _g in WEEKLY_FORMS]
    assert peg[0]["valueQuantity"] | {"value": 0} == {"value": 0, "unit": "{score}", "system": codes.UCUM, "code": "{score}"}
    assert [c["valueInteger"] for c in psfs[0]["component"]] == [3, 4, 2]
    assert [c["code"]["text"] for c in psfs[0]["component"]] == list(PSFS_ACTIVITIES)
    for score in peg + psfs:
        (source,) = score["derivedFrom"]
        assert source["reference"] in {f"urn:uuid:{r['id']}" for r in responses}
    assert identifier(peg[0]) == "weekly-form/2026-09-01T06:20:00Z/peg-score"


def test_outcome_identifiers_are_stable_and_unique(history):
    first = [identifier(r) for r in outcome_resources(history)]
    assert first == [identifier(r) for r in outcome_resources(history)]
    assert len(first) == len(set(first)) == 3 * len(CHECKINS) + 3 * len(WEEKLY_FORMS)


def test_the_patient_is_the_subject_of_every_outcome_resource(history):
    found = outcome_resources(history, patient="Patient/123", bundle="transaction")
    assert {r["subject"]["reference"] for r in found} == {"Patient/123"}
    text = json.loads(export_text(history, patient="https://clinic.example/mrn|A-1", bundle="transaction"))
    requests = [e["request"] for e in text["entry"] if is_outcome(e["resource"])]
    kinds = {r["url"] for r in requests}
    assert kinds == {"Observation", "QuestionnaireResponse"}
    for entry in text["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            value = entry["resource"]["identifier"]["value"]
            assert entry["request"]["ifNoneExist"] == f"identifier={codes.RESPONSE_IDENTIFIER_SYSTEM}|{value}"
            assert entry["resource"]["subject"]["reference"] == "Patient?identifier=https://clinic.example/mrn|A-1"


def test_the_dose_is_coded_components_of_the_tenderness(history):
    text = export_text(history)
    tender = [e["resource"] for e in json.loads(text)["entry"]
              if codes.SPOT_TENDERNESS_SYSTEM in {s for s, _ in coded(e["resource"])}]  # fmt: skip
    def dose(r):
        out = {}
        for c in r["component"]:
            code = c["code"]["coding"][0]["code"]
            if code == "hold-seconds":
                assert c["valueQuantity"]["system"] == codes.UCUM and c["valueQuantity"]["code"] == "s"
                out["hold_seconds"] = c["valueQuantity"]["value"]
            elif code == "spot-tool":
                assert c["valueCodeableConcept"]["coding"][0]["system"] == codes.TOOL_SYSTEM
                out["tool"] = c["valueCodeableConcept"]["coding"][0]["code"]
            elif code == "pressure":
                assert c["valueCodeableConcept"]["coding"][0]["system"] == codes.PRESSURE_SYSTEM
                out["pressure"] = c["valueCodeableConcept"]["coding"][0]["code"]
        return out
    dosed = [dose(r) for r in tender if dose(r)]
    assert dosed == list(RATING_DOSES.values())
    held = next(r for r in tender if dose(r).get("hold_seconds") == 60)
    assert "held 60 s, with a cane, medium pressure" in check_narrative(held)


def test_ndjson_carries_the_outcome_resources_too(history):
    lines = ndjson_resources(export_text(history, "fhir-ndjson"))
    outcomes = [r for r in lines if is_outcome(r)]
    assert len(outcomes) == 3 * len(CHECKINS) + 3 * len(WEEKLY_FORMS)
    ids = {r["id"] for r in lines if r["resourceType"] == "QuestionnaireResponse"}
    for r in outcomes:
        for source in r.get("derivedFrom", []):
            kind, _, rid = source["reference"].partition("/")
            assert kind == "QuestionnaireResponse" and rid in ids
