"""FHIR R4 export: golden bytes, and what a clinic system parsing it with R4B models finds."""

from __future__ import annotations

import io

from fhir.resources.R4B.bundle import Bundle

from selftrack.exports import ExportRequest
from exports.conftest import SESSIONS, check_golden

SNOMED = "http://snomed.info/sct"


def export_fhir(tracker, **request) -> str:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("fhir", **request), out)
    return out.getvalue()


def observations(text: str):
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    return [entry.resource for entry in bundle.entry]


def test_golden(history):
    check_golden("export.fhir.json", export_fhir(history, name="Alex Example").encode("utf-8"))


def test_one_observation_per_rated_spot_and_per_pain_score(history):
    found = observations(export_fhir(history, name="Alex Example"))
    rated = sum(1 for s in SESSIONS for t in s["t"] if t is not None)
    pains = sum((s["before"] is not None) + (s["after"] is not None) for s in SESSIONS)
    assert len(found) == rated + pains
    for obs in found:
        assert obs.status == "final"
        assert obs.category[0].coding[0].code == "survey"
        assert (obs.code.coding[0].system, obs.code.coding[0].code) == ("http://loinc.org", "72514-3")
        assert isinstance(obs.valueInteger, int) and 0 <= obs.valueInteger <= 10
        assert obs.effectiveDateTime is not None
        assert obs.subject.display == "Alex Example"
    assert len({obs.id for obs in found}) == len(found)


def _site(obs):
    codes = [c.code for c in (obs.bodySite.coding or []) if c.system == SNOMED]
    sides = [
        ext.valueCodeableConcept.coding[0].code
        for ext in (obs.bodySite.extension or [])
        if ext.url.endswith("observation-structureLaterality")
    ]
    return codes, sides


def test_body_sites_carry_snomed_codes_and_laterality(history):
    spots = {}
    for obs in observations(export_fhir(history)):
        if obs.bodySite is not None:
            spots[obs.bodySite.text] = _site(obs)
    assert spots["Beside the spine, low back (left side)"] == (["37822005"], ["7771000"])
    assert spots["Beside the spine, low back (right side)"] == (["37822005"], ["24028007"])
    assert spots["Under the dimple (left side)"] == (["206007"], ["7771000"])
    assert spots["Side of the hip, below the crest (right side)"] == (["78333006"], ["24028007"])
    assert spots["Edge of the sacrum (midline)"] == (["46862004"], [])
    assert spots["Inner calf (left side)"] == ([], ["7771000"])


def test_method_flags_and_notes(history):
    found = observations(export_fhir(history))
    methods = {obs.method.text for obs in found}
    assert methods == {
        "Self-palpation with a ball",
        "Self-palpation with a cane",
        "Self-palpation with the hands",
        "Self-palpation with a foam roller",
    }
    nerve = [o for o in found if o.component and o.component[2].valueBoolean]
    assert len(nerve) == 1 and nerve[0].note[0].text == "@ tingling, moved off"
    referred = [o for o in found if o.note and o.note[0].text.startswith("Spreads to")]
    assert referred[0].note[0].text == "Spreads to: down the back of the thigh"


def test_pain_before_and_after_observations(history):
    found = observations(export_fhir(history))
    before = [o for o in found if o.code.text.startswith("Overall pain before")]
    after = [o for o in found if o.code.text.startswith("Overall pain after")]
    assert [o.valueInteger for o in before] == [s["before"] for s in SESSIONS]
    assert [o.valueInteger for o in after] == [s["after"] for s in SESSIONS if s["after"] is not None]


def test_skipped_spots_have_no_observation(history):
    text = export_fhir(history)
    assert '"valueInteger": null' not in text
    calf_left = [
        o for o in observations(text) if o.bodySite and o.bodySite.text == "Inner calf (left side)"
    ]
    assert len(calf_left) == len(SESSIONS) - 2  # skipped once, and not reached when abandoned


def test_subject_without_a_name_and_an_empty_bundle(empty_tracker):
    text = export_fhir(empty_tracker)
    bundle = Bundle.model_validate_json(text)
    assert bundle.entry is None and "entry" not in text
