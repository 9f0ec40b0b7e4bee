"""FHIR R4: a collection Bundle with an Observation per rated spot and for pain before and after."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from selftrack.domain.model import SpotSpec
from selftrack.domain.records import RatingRecord, SessionRecord
from selftrack.exports.times import LocalTime

# Observation ids are derived from the session and step, so exporting twice gives the same ids.
ID_NAMESPACE = uuid.UUID("5b0d7a6e-3c1f-4f43-9a57-2f6f1e0c8d21")
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
PAIN_SCALE = {"system": LOINC, "code": "72514-3", "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
DEFAULT_SUBJECT = "Person not named"

# SNOMED CT body structures: a spot's first muscle when it has a code, else its region.
MUSCLE_CODES = {
    "gluteus maximus": ("206007", "Gluteus maximus muscle structure"),
    "gluteus medius": ("78333006", "Gluteus medius muscle structure"),
}
REGION_CODES = {
    "low-back": ("37822005", "Lower back structure"),
    "buttock": ("46862004", "Buttock structure"),
}
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}
_TOOL_WORDS = {
    "ball": "a ball",
    "cane": "a cane",
    "roller": "a foam roller",
    "hands": "the hands",
    "elbow": "an elbow",
    "partner": "a partner's help",
}
_PARENTHESIS = re.compile(r"\s*\(.*?\)")
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def body_site_code(spot: SpotSpec) -> tuple[str, str] | None:
    """The SNOMED CT (code, display) for where a spot is, or None when none is known."""
    if spot.muscles:
        first = _PARENTHESIS.sub("", spot.muscles[0]).strip().lower()
        if first in MUSCLE_CODES:
            return MUSCLE_CODES[first]
    return REGION_CODES.get(spot.region)


def method_text(tool: str) -> str:
    """How the spot was examined, in words."""
    if not tool:
        return "Self-palpation"
    return f"Self-palpation with {_TOOL_WORDS.get(tool, tool)}"


def _category() -> list[dict]:
    return [{"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}]


def _flag(text: str, value: bool) -> dict:
    return {"code": {"text": text}, "valueBoolean": bool(value)}


class _Writer:
    def __init__(self, out: TextIO, local: LocalTime, subject: str) -> None:
        self.out = out
        self.iso = local.iso
        self.subject = {"display": subject or DEFAULT_SUBJECT}
        self.count = 0

    def entry(self, resource: dict) -> None:
        resource_id = resource["id"]
        self.out.write(",\n" if self.count else ',\n  "entry": [\n')
        self.out.write(f'    {{"fullUrl": "urn:uuid:{resource_id}", "resource": {_dumps(resource)}}}')
        self.count += 1

    def pain(self, session: SessionRecord, when: str, value: int, moment: datetime) -> None:
        self.entry(
            {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(ID_NAMESPACE, f"{session.id}/pain-{when}")),
                "status": "final",
                "category": _category(),
                "code": {"coding": [PAIN_SCALE], "text": f"Overall pain {when} the self-massage session (0-10)"},
                "subject": self.subject,
                "effectiveDateTime": self.iso(moment),
                "valueInteger": value,
                "method": {"text": method_text(session.tool)},
            }
        )

    def rating(self, session: SessionRecord, r: RatingRecord) -> None:
        spot = session.spots[r.spot_id].spec
        side_words = {"left": "left side", "right": "right side", "mid": "midline"}[r.side]
        site: dict = {}
        if r.side in LATERALITY:
            code, display = LATERALITY[r.side]
            site["extension"] = [
                {
                    "url": LATERALITY_URL,
                    "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code, "display": display}]},
                }
            ]
        known = body_site_code(spot)
        if known:
            site["coding"] = [{"system": SNOMED, "code": known[0], "display": known[1]}]
        site["text"] = f"{spot.name} ({side_words})"
        resource = {
            "resourceType": "Observation",
            "id": str(uuid.uuid5(ID_NAMESPACE, f"{session.id}/{r.step_index}")),
            "status": "final",
            "category": _category(),
            "code": {"coding": [PAIN_SCALE], "text": "Tenderness at a named spot when pressed (0-10)"},
            "subject": self.subject,
            "effectiveDateTime": self.iso(r.rated_at),
            "valueInteger": r.tenderness,
            "bodySite": site,
            "method": {"text": method_text(session.tool)},
            "component": [
                _flag("Recognised: this is the person's familiar pain", r.recognised),
                _flag("Referred: the feeling spreads elsewhere", r.referred),
                _flag("Nerve-like: electric, shooting or tingling", r.nerve),
            ],
        }
        notes = []
        if r.referred_to:
            notes.append({"text": f"Spreads to: {r.referred_to}"})
        if r.note:
            notes.append({"text": r.note})
        if notes:
            resource["note"] = notes
        self.entry(resource)


def write_fhir(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    local: LocalTime,
    *,
    exported_at: datetime,
    subject: str = "",
) -> tuple[int, int]:
    """Write the Bundle; returns (sessions, observations of rated spots) written.

    Skipped spots have no value, so they get no Observation.
    """
    writer = _Writer(out, local, subject)
    out.write('{\n  "resourceType": "Bundle",\n  "type": "collection",\n')
    out.write(f'  "timestamp": {_dumps(local.iso(exported_at))}')
    count_sessions = count_ratings = 0
    for session in sessions:
        count_sessions += 1
        if session.pain_before is not None:
            writer.pain(session, "before", session.pain_before, session.started_at)
        for rating in session.ratings:
            if not rating.skipped:
                writer.rating(session, rating)
                count_ratings += 1
        if session.pain_after is not None:
            writer.pain(session, "after", session.pain_after, session.ended_at or session.started_at)
    out.write("\n  ]\n}\n" if writer.count else "\n}\n")
    return count_sessions, count_ratings
