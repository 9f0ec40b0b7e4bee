"""FHIR R4 Observations for one session: a panel for the session, its pain scores and ratings.

Resources come as JSON text (EncodedResource): the parts that repeat (a spot's code and body
site, the subject, the flags, a dose) are encoded once and reused, so ten years of ratings are
not encoded member by member. The Bundle and NDJSON writers decide how resources refer to
each other (`urn:uuid:` inside a Bundle, `Observation/<id>` across NDJSON lines).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _string  # a str as JSON, as _dumps writes it
from typing import NamedTuple
from xml.sax.saxutils import escape

from selftrack.exports import ExportError
from selftrack.exports import fhir_codes as codes
from selftrack.domain.records import RatingRecord, SessionRecord
from selftrack.exports.times import LocalTime

# Resource ids are derived from the session and step, so exporting twice gives the same ids.
ID_NAMESPACE = uuid.UUID("5b0d7a6e-3c1f-4f43-9a57-2f6f1e0c8d21")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes
DEFAULT_SUBJECT = "Person not named"
BUNDLE_TYPES = ("collection", "transaction")
# How resources are written as JSON (compact separators would change every byte of an export)
_dumps = json.JSONEncoder(ensure_ascii=False).encode

_TOOL_WORDS = {
    "ball": "a ball",
    "cane": "a cane",
    "roller": "a foam roller",
    "hands": "the hands",
    "elbow": "an elbow",
    "partner": "a partner's help",
}
_SIDE_WORDS = {"left": "left side", "right": "right side", "mid": "midline"}
# What XML 1.0 cannot hold (a narrative is XHTML): other control characters and lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
_PATIENT_HELP = (
    "give Patient/ID (ID: 1-64 letters, digits, '-' or '.') or SYSTEM|VALUE "
    "(SYSTEM a URI such as urn:oid:1.2.3 or https://clinic.example/mrn)"
)


@dataclass(frozen=True, slots=True)
class PatientRef:
    """Who the records are about: a FHIR id, or an identifier (system, value)."""

    id: str = ""
    system: str = ""
    value: str = ""


def parse_patient(text: str) -> PatientRef | None:
    """`Patient/123` or `system|value` as a PatientRef; None for ""; ExportError otherwise."""
    if not text:
        return None
    shown = text if len(text) <= 80 else text[:77] + "..."
    if text.startswith("Patient/"):
        if _FHIR_ID.fullmatch(text[8:]):
            return PatientRef(id=text[8:])
        raise ExportError(f"--patient {shown!r} is not a FHIR id: {_PATIENT_HELP}")
    system, bar, value = text.partition("|")
    if not bar:
        raise ExportError(f"--patient {shown!r}: {_PATIENT_HELP}")
    if not _URI_SCHEME.fullmatch(system):
        raise ExportError(f"--patient {shown!r}: the system is not a URI: {_PATIENT_HELP}")
    if not value or value != value.strip() or "|" in value or not value.isprintable():
        raise ExportError(f"--patient {shown!r}: the value is empty or not plain text: {_PATIENT_HELP}")
    return PatientRef(system=system, value=value)


def check_bundle_type(bundle: str) -> str:
    """The bundle type, or ExportError for one selftrack does not write."""
    if bundle not in BUNDLE_TYPES:
        raise ExportError(f"unknown bundle type {bundle!r} (choose {' or '.join(BUNDLE_TYPES)})")
    return bundle


def subject_reference(patient: PatientRef | None, name: str, *, transaction: bool) -> dict:
    """Observation.subject: a Patient reference when known, else a display name only.

    An identifier becomes a conditional reference in a transaction (the server resolves it
    to its Patient) and a logical reference (`identifier`) elsewhere.
    """
    if patient is None:
        return {"display": name or DEFAULT_SUBJECT}
    subject: dict = {}
    if patient.id:
        subject["reference"] = f"Patient/{patient.id}"
    else:
        if transaction:
            subject["reference"] = f"Patient?identifier={patient.system}|{patient.value}"
        subject["identifier"] = {"system": patient.system, "value": patient.value}
    if name:
        subject["display"] = name
    return subject


def method_text(tool: str) -> str:
    """How the spot was examined, in words."""
    if not tool:
        return "Self-palpation"
    return f"Self-palpation with {_TOOL_WORDS.get(tool, tool)}"


def resource_id(session_id: str, key: str | int | None = None) -> str:
    """The stable id of the session's panel (key None) or of one of its Observations.

    uuid5(ID_NAMESPACE, name), computed without building UUID objects (one per resource).
    """
    name = session_id if key is None else f"{session_id}/{key}"
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def identifier_value(session_id: str, key: str | int | None = None) -> str:
    return session_id if key is None else f"{session_id}/{key}"


def status_of(session: SessionRecord) -> str:
    """Observation.status: an unfinished session may still change, so it is preliminary."""
    return "preliminary" if session.status == "in_progress" else "final"


def _narrative_div(text: str) -> str:
    clean = _NOT_XML.sub("\ufffd", text)
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(clean)}</div>'


def narrative(text: str) -> dict:
    """Observation.text: one escaped line of generated XHTML."""
    return {"status": "generated", "div": _narrative_div(text)}


def narrative_json(text: str) -> str:
    """narrative(text) as JSON text."""
    return f'{{"status": "generated", "div": {_string(_narrative_div(text))}}}'


class EncodedResource(NamedTuple):
    """A resource as JSON text, its id apart: a transaction's entries leave the id out."""

    type: str
    id: str
    identifier_system: str
    identifier_value: str
    members: str  # the JSON members after resourceType and id, each after ", "

    def json(self, *, with_id: bool = True) -> str:
        if with_id:
            return f'{{"resourceType": "{self.type}", "id": "{self.id}"{self.members}}}'
        return f'{{"resourceType": "{self.type}"{self.members}}}'


def encode_resource(resource: dict) -> EncodedResource:
    """A resource built as a dict (resourceType and id its first members) as JSON text."""
    rest = dict(resource)
    kind = rest.pop("resourceType")
    rid = rest.pop("id")
    found = rest["identifier"]
    identifier = found[0] if isinstance(found, list) else found  # QuestionnaireResponse has one
    body = _dumps(rest)
    return EncodedResource(
        kind, rid, identifier["system"], identifier["value"], ", " + body[1:-1] if rest else ""
    )


_CATEGORY = [{"coding": [{"system": codes.CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}]
_CATEGORY_JSON = _dumps(_CATEGORY)
_IDENTIFIER_SYSTEM_JSON = _string(codes.IDENTIFIER_SYSTEM)


@dataclass(frozen=True, slots=True)
class _SpotParts:
    """The members of a rating's Observation that depend only on its spot and side, as JSON."""

    code_and_subject: str  # `, "code": …, "subject": …`
    body_site: str  # `, "bodySite": …`
    where: str  # the words for it: "<spot name> (left side)"


@dataclass(frozen=True, slots=True)
class _Said:
    """Rating members that depend on a few small values (the flags, or the dose), as JSON
    components each after ", ", and the words the narrative gives them."""

    components: str
    words: tuple[str, ...]


class SessionResources:
    """Builds a session's Observations; `refer(id)` makes the reference to another one."""

    def __init__(self, local: LocalTime, subject: dict, refer: Callable[[str], str]) -> None:
        self.iso = local.iso
        self.subject = subject
        self.refer = refer
        self._subject_json = _dumps(subject)
        self._spots: dict[tuple[str, str], _SpotParts] = {}
        self._flags: dict[tuple[bool, bool, bool], _Said] = {}
        self._doses: dict[tuple, _Said] = {}
        self._flag_codes = {
            name: {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, pair)]}
            for name, pair in (
                ("recognised", codes.RECOGNISED),
                ("referred", codes.REFERRED),
                ("referred-to", codes.REFERRED_TO),
                ("nerve", codes.NERVE),
            )
        }
        self._referred_to_code = _dumps(self._flag_codes["referred-to"])

    def resources(self, session: SessionRecord) -> list[EncodedResource]:
        """The panel, then pain before, ratings, pain after.

        Skipped spots have no value, so they get no Observation.
        """
        status = status_of(session)
        parts: list[EncodedResource] = []
        if session.pain_before is not None:
            parts.append(self._pain(session, status, "before", session.pain_before, session.started_at))
        # the members every rating of the session shares
        shared_status = f', "status": "{status}", "category": {_CATEGORY_JSON}'
        method = f', "method": {_dumps({"text": method_text(session.tool)})}'
        for rating in session.ratings:
            if not rating.skipped:
                parts.append(self._rating(session, shared_status, method, rating))
        if session.pain_after is not None:
            moment = session.ended_at or session.started_at
            parts.append(self._pain(session, status, "after", session.pain_after, moment))
        members = [{"reference": self.refer(resource.id)} for resource in parts]
        panel = encode_resource(self._panel(session, status, members, len(parts)))
        return [panel, *parts]

    def _base(self, session: SessionRecord, key, status: str, code: dict) -> dict:
        return {
            "resourceType": "Observation",
            "id": resource_id(session.id, key),
            "text": None,  # the narrative, set once the rest is known
            "identifier": [{"system": codes.IDENTIFIER_SYSTEM, "value": identifier_value(session.id, key)}],
            "status": status,
            "category": _CATEGORY,
            "code": code,
            "subject": self.subject,
        }

    def _panel(self, session: SessionRecord, status: str, members: list[dict], count: int) -> dict:
        code = {
            "coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.SESSION)],
            "text": "Self-massage session",
        }
        resource = self._base(session, None, status, code)
        started = self.iso(session.started_at)
        period = {"start": started}
        if session.ended_at is not None:
            period["end"] = self.iso(session.ended_at)
        resource["effectivePeriod"] = period
        if members:
            resource["hasMember"] = members
        state = codes.SESSION_STATUS_NAMES.get(session.status, session.status)
        routine = f"{session.protocol_name} ({session.protocol_id}, version {session.protocol_version})"
        resource["component"] = [
            {
                "code": {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.ROUTINE)]},
                "valueString": routine,
            },
            {
                "code": {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.SESSION_STATUS)]},
                "valueCodeableConcept": {
                    "coding": [
                        {"system": codes.SESSION_STATUS_SYSTEM, "code": session.status, "display": state}
                    ],
                    "text": state,
                },
            },
        ]
        if session.notes:
            resource["note"] = [{"text": session.notes}]
        resource["text"] = narrative(
            f"Self-massage session, {started}: {session.protocol_name}; {state.lower()}; "
            f"{count} observation(s)."
        )
        return resource

    def _pain(
        self, session: SessionRecord, status: str, when: str, value: int, moment
    ) -> EncodedResource:
        ours = codes.PAIN_BEFORE if when == "before" else codes.PAIN_AFTER
        code = {
            "coding": [codes.PAIN_SCALE, codes.coding(codes.OBSERVATION_SYSTEM, ours)],
            "text": f"Overall pain {when} the self-massage session (0-10)",
        }
        resource = self._base(session, f"pain-{when}", status, code)
        resource["effectiveDateTime"] = effective = self.iso(moment)
        resource["valueInteger"] = value
        resource["text"] = narrative(f"Overall pain {when} the session: {value} of 10 ({effective}).")
        return encode_resource(resource)

    def _spot(self, definition, side: str) -> _SpotParts:
        """The members of a spot definition on one side, encoded once."""
        key = (definition.digest, side)
        known = self._spots.get(key)
        if known is None:
            spot = definition.spec
            where = f"{spot.name} ({_SIDE_WORDS[side]})"
            code = {
                "coding": [
                    {"system": codes.SPOT_TENDERNESS_SYSTEM, "code": spot.id, "display": spot.name},
                    codes.TENDERNESS,
                ],
                "text": f"Tenderness when pressed: {spot.name} (0-10)",
            }
            site: dict = {}
            if side in codes.LATERALITY:
                site["extension"] = [
                    {
                        "url": codes.LATERALITY_URL,
                        "valueCodeableConcept": {
                            "coding": [codes.coding(codes.SNOMED, codes.LATERALITY[side])]
                        },
                    }
                ]
            structure = codes.body_site_code(spot)
            if structure:
                site["coding"] = [codes.coding(codes.SNOMED, structure)]
            site["text"] = where
            known = self._spots[key] = _SpotParts(
                f', "code": {_dumps(code)}, "subject": {self._subject_json}',
                f', "bodySite": {_dumps(site)}',
                where,
            )
        return known

    def _flag_parts(self, recognised: bool, referred: bool, nerve: bool) -> _Said:
        """The three flags as components (each always there) and the words for those set."""
        key = (recognised, referred, nerve)
        known = self._flags.get(key)
        if known is None:
            flags = self._flag_codes
            components = [
                {"code": flags["recognised"], "valueBoolean": recognised},
                {"code": flags["referred"], "valueBoolean": referred},
                {"code": flags["nerve"], "valueBoolean": nerve},
            ]
            said = [word for word, flag in (("recognised", recognised), ("referred", referred),
                                             ("nerve-like", nerve)) if flag]  # fmt: skip
            known = self._flags[key] = _Said(_components_json(components), tuple(said))
        return known

    def _dose_parts(self, r: RatingRecord) -> _Said:
        """The dose as components (only what was recorded) and the words for it."""
        key = (r.hold_seconds, r.tool, r.pressure)
        known = self._doses.get(key)
        if known is None:
            said = []
            if r.hold_seconds is not None:
                said.append(f"held {r.hold_seconds} s")
            if r.tool:
                said.append(f"with {_TOOL_WORDS.get(r.tool, r.tool)}")
            if r.pressure:
                said.append(f"{r.pressure} pressure")
            known = self._doses[key] = _Said(_components_json(dose_components(r)), tuple(said))
        return known

    def _rating(
        self, session: SessionRecord, shared_status: str, method: str, r: RatingRecord
    ) -> EncodedResource:
        """A rated spot's Observation, its members in the order a dict of them was written."""
        spot = self._spot(session.spots[r.spot_id], r.side)
        flags = self._flag_parts(bool(r.recognised), bool(r.referred), bool(r.nerve))
        dose = self._dose_parts(r)
        components = flags.components
        notes = []
        if r.referred_to:
            spreads_to = _string(r.referred_to)
            components += f', {{"code": {self._referred_to_code}, "valueString": {spreads_to}}}'
            notes.append(_note_json(f"Spreads to: {r.referred_to}"))
        components += dose.components
        if r.note:
            notes.append(_note_json(r.note))
        said = flags.words + dose.words
        effective = self.iso(r.rated_at)
        text = narrative_json(
            f"Tenderness at {spot.where}: {r.tenderness} of 10 ({effective})"
            + (f"; {', '.join(said)}" if said else "")
            + "."
        )
        value = identifier_value(session.id, r.step_index)
        members = "".join((
            f', "text": {text}',
            f', "identifier": [{{"system": {_IDENTIFIER_SYSTEM_JSON}, "value": {_string(value)}}}]',
            shared_status,
            spot.code_and_subject,
            f', "effectiveDateTime": {_string(effective)}',
            f', "valueInteger": {r.tenderness:d}',
            spot.body_site,
            method,
            f', "component": [{components.removeprefix(", ")}]',
            f', "note": [{", ".join(notes)}]' if notes else "",
        ))  # fmt: skip
        rid = resource_id(session.id, r.step_index)
        return EncodedResource("Observation", rid, codes.IDENTIFIER_SYSTEM, value, members)


def _note_json(text: str) -> str:
    return f'{{"text": {_string(text)}}}'


def _components_json(components: list[dict]) -> str:
    """Components as JSON, each after ", " (to follow others in a component list)."""
    return "".join(f", {_dumps(component)}" for component in components)


def _coded(pair: tuple[str, str]) -> dict:
    return {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, pair)]}


_DOSE_CODES = {name: _coded(pair) for name, pair in (
    ("hold", codes.HOLD_SECONDS), ("tool", codes.SPOT_TOOL), ("pressure", codes.PRESSURE),
)}  # fmt: skip


def dose_components(r: RatingRecord) -> list[dict]:
    """The dose of a rating as Observation components: seconds held (UCUM s), the tool used on
    the spot when it was not the session's, the pressure; only what was recorded."""
    found = []
    if r.hold_seconds is not None:
        found.append({
            "code": _DOSE_CODES["hold"],
            "valueQuantity": {"value": r.hold_seconds, "unit": "s", "system": codes.UCUM, "code": "s"},
        })  # fmt: skip
    if r.tool:
        words = _TOOL_WORDS.get(r.tool, r.tool)
        found.append({
            "code": _DOSE_CODES["tool"],
            "valueCodeableConcept": {"coding": [{"system": codes.TOOL_SYSTEM, "code": r.tool, "display": words}], "text": words},
        })  # fmt: skip
    if r.pressure:
        found.append({
            "code": _DOSE_CODES["pressure"],
            "valueCodeableConcept": {"coding": [{"system": codes.PRESSURE_SYSTEM, "code": r.pressure, "display": r.pressure.capitalize()}], "text": r.pressure},
        })  # fmt: skip
    return found


def moment_key(moment) -> str:
    """A moment as the UTC text that names an outcome record in identifiers (to the microsecond)."""
    from selftrack.exports.times import utc_iso

    return utc_iso(moment).replace("+00:00", "Z")


class OutcomeResources:
    """The FHIR resources of the outcome records: per morning check-in an Observation each for
    back pain, leg pain and the night; per weekly form a QuestionnaireResponse and Observations
    for the PEG score and the PSFS score derived from it. `refer(type, id)` makes a reference."""

    def __init__(self, local: LocalTime, subject: dict, refer: Callable[[str, str], str]) -> None:
        self.iso = local.iso
        self.subject = subject
        self.refer = refer

    def _observation(self, key: str, code: dict, effective, text: str) -> dict:
        return {
            "resourceType": "Observation",
            "id": resource_id(key),
            "text": narrative(text),
            "identifier": [{"system": codes.IDENTIFIER_SYSTEM, "value": key}],
            "status": "final",
            "category": _CATEGORY,
            "code": code,
            "subject": self.subject,
            "effectiveDateTime": effective,
        }

    def checkin(self, c) -> Iterator[EncodedResource]:
        """The Observations of back pain, leg pain and the night."""
        base = f"checkin/{moment_key(c.answered_at)}"
        when = self.iso(c.answered_at)
        back = self._observation(
            f"{base}/back-pain",
            {"coding": [codes.PAIN_SCALE, codes.coding(codes.OBSERVATION_SYSTEM, codes.MORNING_BACK)],
             "text": "Low back pain right now, morning (0-10)"},  # fmt: skip
            when, f"Low back pain in the morning: {c.back_pain} of 10 ({when}).",
        )
        back["valueInteger"] = c.back_pain
        back["bodySite"] = {"coding": [codes.coding(codes.SNOMED, codes.LOWER_BACK_SITE)], "text": "Low back"}
        leg = self._observation(
            f"{base}/leg-pain",
            {"coding": [codes.PAIN_SCALE, codes.coding(codes.OBSERVATION_SYSTEM, codes.MORNING_LEG)],
             "text": "Leg pain right now, morning (0-10)"},  # fmt: skip
            when,
            f"Leg pain in the morning: {c.leg_pain} of 10"
            + ("; goes below the knee" if c.below_knee else "") + f" ({when}).",
        )
        leg["valueInteger"] = c.leg_pain
        leg["bodySite"] = {"text": "Leg, from the buttock down to the foot"}
        leg["component"] = [{"code": _coded(codes.BELOW_KNEE), "valueBoolean": bool(c.below_knee)}]
        night = self._observation(
            f"{base}/night",
            {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.NIGHT)], "text": "Last night's sleep (0 terrible - 10 excellent)"},
            when, f"Last night's sleep: {c.night} of 10, 10 excellent ({when}).",
        )
        night["valueInteger"] = c.night
        for resource in (back, leg, night):
            yield encode_resource(resource)

    def weekly_form(self, f) -> Iterator[EncodedResource]:
        """The QuestionnaireResponse, then the Observations of the PEG and PSFS scores."""
        from selftrack.domain.instruments import PEG_QUESTIONS, PGIC_CHOICES

        key = f"weekly-form/{moment_key(f.answered_at)}"
        when = self.iso(f.answered_at)
        items = []
        if f.peg is not None:
            for question, value in zip(PEG_QUESTIONS, (f.peg.pain, f.peg.enjoyment, f.peg.activity)):
                items.append({"linkId": f"peg-{question.id}", "text": question.text, "answer": [{"valueInteger": value}]})
        for slot, rating in enumerate(f.psfs, 1):
            items.append({"linkId": f"psfs-{slot}", "text": rating.name, "answer": [{"valueInteger": rating.score}]})
        if f.pgic is not None:
            words = PGIC_CHOICES[f.pgic]
            items.append({
                "linkId": "pgic",
                "text": "Since you started, how would you describe your overall condition?",
                "answer": [{"valueCoding": {"system": codes.PGIC_SYSTEM, "code": str(f.pgic), "display": words}}],
            })  # fmt: skip
        said = []
        if f.peg is not None:
            said.append(f"PEG {f.peg.score:.1f}")
        if f.psfs_score is not None:
            said.append(f"PSFS {f.psfs_score:.1f}")
        if f.pgic is not None:
            said.append(f"change since starting: {PGIC_CHOICES[f.pgic]}")
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": resource_id(key),
            "text": narrative(f"Weekly function form, {when}: {'; '.join(said) or 'no answers'}."),
            "identifier": {"system": codes.RESPONSE_IDENTIFIER_SYSTEM, "value": key},
            "questionnaire": codes.WEEKLY_QUESTIONNAIRE,
            "status": "completed",
            "subject": self.subject,
            "authored": when,
            "item": items,
        }
        source = [{"reference": self.refer("QuestionnaireResponse", response["id"])}]
        yield encode_resource(response)
        if f.peg is not None:
            peg = self._observation(
                f"{key}/peg-score",
                {"coding": [codes.PEG_SCORE, codes.coding(codes.OBSERVATION_SYSTEM, codes.PEG)], "text": "PEG score (0-10)"},
                when, f"PEG score: {f.peg.score:.2f} of 10, higher is worse ({when}).",
            )
            peg["valueQuantity"] = _score(f.peg.score)
            peg["derivedFrom"] = source
            yield encode_resource(peg)
        if f.psfs:
            psfs = self._observation(
                f"{key}/psfs-score",
                {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.PSFS)], "text": "PSFS score (0-10)"},
                when, f"PSFS score: {f.psfs_score:.2f} of 10, higher is better ({when}).",
            )
            psfs["valueQuantity"] = _score(f.psfs_score)
            psfs["component"] = [
                {"code": {"coding": [codes.coding(codes.OBSERVATION_SYSTEM, codes.PSFS_ACTIVITY)], "text": r.name},
                 "valueInteger": r.score}  # fmt: skip
                for r in f.psfs
            ]
            psfs["derivedFrom"] = source
            yield encode_resource(psfs)


def _score(value: float) -> dict:
    return {"value": round(value, 2), "unit": "{score}", "system": codes.UCUM, "code": "{score}"}
