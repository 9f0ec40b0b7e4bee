"""FHIR R4: a Bundle (collection, or a transaction of conditional creates) or NDJSON lines.

Each session is an Observation panel whose `hasMember` are its pain scores and the
tenderness of each rated spot (selftrack.exports.fhir_resources builds them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from selftrack.domain.records import SessionRecord
from selftrack.exports.fhir_codes import IDENTIFIER_SYSTEM
from selftrack.exports.fhir_resources import (
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


def write_fhir(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    local: LocalTime,
    *,
    exported_at: datetime,
    subject: str = "",
    bundle: str = "collection",
    patient: PatientRef | None = None,
) -> FhirCounts:
    """Write one Bundle: `collection` (resources with ids) or `transaction`.

    A transaction's entries are conditional creates on the resource's identifier, so POSTing
    the same export twice creates nothing the second time.
    """
    transaction = check_bundle_type(bundle) == "transaction"
    builder = SessionResources(
        local, subject_reference(patient, subject, transaction=transaction), lambda rid: f"urn:uuid:{rid}"
    )
    out.write(f'{{\n  "resourceType": "Bundle",\n  "type": "{bundle}",\n')
    out.write(f'  "timestamp": {_dumps(local.iso(exported_at))}')
    count_sessions = count_ratings = count = 0
    for session in sessions:
        count_sessions += 1
        count_ratings += _count(session)
        for identifier, resource in builder.resources(session):
            out.write(",\n" if count else ',\n  "entry": [\n')
            full_url = f"urn:uuid:{resource['id']}"
            if transaction:
                del resource["id"]  # a server assigns its own on create
                request = {
                    "method": "POST",
                    "url": "Observation",
                    "ifNoneExist": f"identifier={IDENTIFIER_SYSTEM}|{identifier}",
                }
                out.write(
                    f'    {{"fullUrl": "{full_url}", "resource": {_dumps(resource)}, '
                    f'"request": {_dumps(request)}}}'
                )
            else:
                out.write(f'    {{"fullUrl": "{full_url}", "resource": {_dumps(resource)}}}')
            count += 1
    out.write("\n  ]\n}\n" if count else "\n}\n")
    return FhirCounts(count_sessions, count_ratings, count)


def write_fhir_ndjson(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    local: LocalTime,
    *,
    subject: str = "",
    patient: PatientRef | None = None,
) -> FhirCounts:
    """Write one Observation per line (FHIR Bulk Data NDJSON), a session at a time.

    Resources refer to each other as `Observation/<id>`, the ids they carry.
    """
    builder = SessionResources(
        local, subject_reference(patient, subject, transaction=False), lambda rid: f"Observation/{rid}"
    )
    count_sessions = count_ratings = count = 0
    for session in sessions:
        count_sessions += 1
        count_ratings += _count(session)
        lines = [_dumps(resource) for _identifier, resource in builder.resources(session)]
        count += len(lines)
        lines.append("")
        out.write("\n".join(lines))
    return FhirCounts(count_sessions, count_ratings, count)
