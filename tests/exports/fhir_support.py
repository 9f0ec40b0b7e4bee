"""Helpers for the FHIR export tests: export to text, validate with R4B, check the semantics."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from selftrack.exports import ExportRequest
from selftrack.exports import fhir_codes as codes
from exports.conftest import FIRST_SESSION, set_clock
from support import FIXED_NOW

XHTML = "{http://www.w3.org/1999/xhtml}div"
OBSERVATION_STATUSES = {"preliminary", "final"}  # the only ones selftrack writes


def export_text(tracker, fmt: str = "fhir", **request) -> str:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest(fmt, **request), out)
    return out.getvalue()


def bundle_of(text: str, kind: str = "collection") -> Bundle:
    """The Bundle, validated with the R4B models, of the type expected."""
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == kind
    return bundle


MODELS = {"Observation": Observation, "QuestionnaireResponse": QuestionnaireResponse}
OUTCOME_PREFIXES = ("checkin/", "weekly-form/")  # identifier values of the outcome records


def ndjson_resources(text: str) -> list[dict]:
    """Every NDJSON line as a dict, each validated as an R4B resource of its type."""
    assert text == "" or text.endswith("\n")
    found = []
    for line in text.splitlines():
        resource = json.loads(line)
        MODELS[resource["resourceType"]].model_validate_json(line)
        found.append(resource)
    return found


def identifier_of(resource: dict) -> dict:
    """The one identifier (a list of one on an Observation, a single one on a QuestionnaireResponse)."""
    found = resource["identifier"]
    if isinstance(found, dict):
        assert resource["resourceType"] == "QuestionnaireResponse"
        return found
    (only,) = found
    return only


def is_outcome(resource: dict) -> bool:
    """A resource of a check-in or weekly form (not of a session)."""
    return identifier_of(resource)["value"].startswith(OUTCOME_PREFIXES)


def session_resources(found: list[dict]) -> list[dict]:
    return [r for r in found if not is_outcome(r)]


def kind_of(resource: dict) -> str:
    """'panel', 'pain-before', 'pain-after' or 'tenderness', from the codes alone."""
    coded = {(c["system"], c["code"]) for c in resource["code"]["coding"]}
    if (codes.OBSERVATION_SYSTEM, "session") in coded:
        return "panel"
    if (codes.OBSERVATION_SYSTEM, "pain-before-session") in coded:
        return "pain-before"
    if (codes.OBSERVATION_SYSTEM, "pain-after-session") in coded:
        return "pain-after"
    assert any(system == codes.SPOT_TENDERNESS_SYSTEM for system, _ in coded), resource["code"]
    return "tenderness"


def identifier(resource: dict) -> str:
    only = identifier_of(resource)
    expected = codes.RESPONSE_IDENTIFIER_SYSTEM if resource["resourceType"] == "QuestionnaireResponse" else codes.IDENTIFIER_SYSTEM
    assert only["system"] == expected
    return only["value"]


def check_narrative(resource: dict) -> str:
    """The narrative's text, after checking it is generated, well-formed XHTML."""
    assert resource["text"]["status"] == "generated"
    div = ElementTree.fromstring(resource["text"]["div"])
    assert div.tag == XHTML and len(div) == 0
    assert div.text
    return div.text


def log_unfinished(tracker, *, ratings=(4, 5, None)) -> str:
    """An in-progress session after the fixed history: some ratings, no end; returns its id."""
    set_clock(tracker, FIRST_SESSION + timedelta(days=80))
    session = tracker.start_session("export-test", "left", tool="hands", pain_before=2)
    for step, value in enumerate(ratings):
        if value is None:
            tracker.record_rating(session.id, step, skipped=True)
        else:
            tracker.record_rating(session.id, step, value)
    set_clock(tracker, FIXED_NOW)
    return session.id
