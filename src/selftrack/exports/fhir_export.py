"""FHIR R4: a Bundle (collection, or a transaction of conditional creates) or NDJSON lines.

Each session is an Observation panel whose `hasMember` are its pain scores and the
tenderness of each rated spot (selftrack.exports.fhir_resources builds them). After the
sessions come the outcome records: Observations of each morning check-in, and per weekly form
a QuestionnaireResponse with the PEG and PSFS score Observations derived from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring
from typing import TextIO

from selftrack.domain.outcomes import OutcomeRecords
from selftrack.domain.records import SessionRecord
from selftrack.exports.fhir_resources import (
    EncodedResource,
    OutcomeResources,
    PatientRef,
    SessionResources,
    check_bundle_type,
    subject_reference,
)
from selftrack.exports.times import LocalTime

_dumps = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class FhirCounts:
    """What an export wrote: sessions, Observations of rated spots, and resources in all."""

    sessions: int
    ratings: int
    resources: int


def _count(session: SessionRecord) -> int:
    return sum(1 for r in session.ratings if not r.skipped)


def _outcome_resources(builder: OutcomeResources, outcomes: OutcomeRecords | None):
    """The resources of each outcome record, a list per record: check-ins, then weekly forms."""
    if outcomes is None:
        return
    for checkin in outcomes.checkins:
        yield list(builder.checkin(checkin))
    for form in outcomes.forms:
        yield list(builder.weekly_form(form))


def _request(resource: EncodedResource) -> str:
    """A transaction entry's request: create the resource unless its identifier is known."""
    condition = f"identifier={resource.identifier_system}|{resource.identifier_value}"
    return (
        f'{{"method": "POST", "url": {encode_basestring(resource.type)}, '
        f'"ifNoneExist": {encode_basestring(condition)}}}'
    )


def write_fhir(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    local: LocalTime,
    *,
    exported_at: datetime,
    subject: str = "",
    bundle: str = "collection",
    patient: PatientRef | None = None,
    outcomes: OutcomeRecords | None = None,
) -> FhirCounts:
    """Write one Bundle: `collection` (resources with ids) or `transaction`.

    A transaction's entries are conditional creates on the resource's identifier, so POSTing
    the same export twice creates nothing the second time.
    """
    transaction = check_bundle_type(bundle) == "transaction"
    who = subject_reference(patient, subject, transaction=transaction)
    builder = SessionResources(local, who, lambda rid: f"urn:uuid:{rid}")
    outcome_builder = OutcomeResources(local, who, lambda _kind, rid: f"urn:uuid:{rid}")
    out.write(f'{{\n  "resourceType": "Bundle",\n  "type": "{bundle}",\n')
    out.write(f'  "timestamp": {_dumps(local.iso(exported_at))}')
    count_sessions = count_ratings = count = 0

    def entry(resource: EncodedResource) -> str:
        head = f'    {{"fullUrl": "urn:uuid:{resource.id}", "resource": '
        if transaction:  # a server assigns its own id on create
            return f'{head}{resource.json(with_id=False)}, "request": {_request(resource)}}}'
        return f"{head}{resource.json()}}}"

    def session_resources():
        nonlocal count_sessions, count_ratings
        for session in sessions:
            count_sessions += 1
            count_ratings += _count(session)
            yield builder.resources(session)

    for group in (session_resources(), _outcome_resources(outcome_builder, outcomes)):
        for resources in group:  # a session's, or an outcome record's: one write each
            out.write((",\n" if count else ',\n  "entry": [\n') + ",\n".join(map(entry, resources)))
            count += len(resources)
    out.write("\n  ]\n}\n" if count else "\n}\n")
    return FhirCounts(count_sessions, count_ratings, count)


def write_fhir_ndjson(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    local: LocalTime,
    *,
    subject: str = "",
    patient: PatientRef | None = None,
    outcomes: OutcomeRecords | None = None,
) -> FhirCounts:
    """Write one resource per line (FHIR Bulk Data NDJSON), a session at a time, then the
    outcome records (their QuestionnaireResponses among the Observations: each line says its
    resourceType).

    Resources refer to each other as `Observation/<id>` or `QuestionnaireResponse/<id>`, the
    ids they carry.
    """
    who = subject_reference(patient, subject, transaction=False)
    builder = SessionResources(local, who, lambda rid: f"Observation/{rid}")
    outcome_builder = OutcomeResources(local, who, lambda kind, rid: f"{kind}/{rid}")
    count_sessions = count_ratings = count = 0

    def write(resources: list[EncodedResource]) -> None:
        nonlocal count
        out.write("".join(f"{resource.json()}\n" for resource in resources))
        count += len(resources)

    for session in sessions:
        count_sessions += 1
        count_ratings += _count(session)
        write(builder.resources(session))
    for resources in _outcome_resources(outcome_builder, outcomes):
        write(resources)
    return FhirCounts(count_sessions, count_ratings, count)
