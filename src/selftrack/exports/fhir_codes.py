"""The codes and URLs of selftrack's FHIR resources (docs/export-formats.md, "Codes").

The selftrack URLs are names, fixed for good: a system that stores them must find the same
meaning under them in every later export.
"""

from __future__ import annotations

import re

from selftrack.domain.model import SpotSpec

BASE = "https://selftrack.org/fhir"
# Codes are spot ids: "tenderness when pressed at this spot, 0-10"
SPOT_TENDERNESS_SYSTEM = f"{BASE}/CodeSystem/spot-tenderness"
# Every other selftrack code: the session panel, pain before/after, the flags, session fields
OBSERVATION_SYSTEM = f"{BASE}/CodeSystem/observation"
SESSION_STATUS_SYSTEM = f"{BASE}/CodeSystem/session-status"
# Identifier values: "<session id>" (panel), "<session id>/<step>", "<session id>/pain-before|after"
IDENTIFIER_SYSTEM = f"{BASE}/sid/observation"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"

PAIN_SCALE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
# SNOMED CT 247348008 |Tenderness (finding)|: see docs/export-formats.md for how it was checked.
TENDERNESS = {"system": SNOMED, "code": "247348008", "display": "Tenderness"}

# (code, display) of OBSERVATION_SYSTEM
SESSION = ("session", "Self-massage session (selftrack)")
PAIN_BEFORE = ("pain-before-session", "Overall pain before a self-massage session")
PAIN_AFTER = ("pain-after-session", "Overall pain after a self-massage session")
RECOGNISED = ("recognised", "Recognised as the person's familiar pain")
REFERRED = ("referred", "Feeling spreads elsewhere (referred)")
REFERRED_TO = ("referred-to", "Where the feeling spreads to")
NERVE = ("nerve-like", "Nerve-like feeling: electric, shooting or tingling")
ROUTINE = ("routine", "Routine walked")
SESSION_STATUS = ("session-status", "How the session ended")
SESSION_STATUS_NAMES = {
    "finished": "Finished",
    "abandoned": "Stopped early",
    "in_progress": "Not finished yet",
}

# SNOMED CT body structures, each checked as docs/export-formats.md says.
MUSCLE_CODES = {
    "gluteus maximus": ("206007", "Gluteus maximus muscle structure"),
    "gluteus medius": ("78333006", "Gluteus medius muscle structure"),
}
REGION_CODES = {
    "low-back": ("37822005", "Lower back structure"),
    "buttock": ("46862004", "Buttock structure"),
    "side-of-hip": ("29836001", "Hip region structure"),
    "thigh": ("68367000", "Thigh structure"),
    "calf": ("53840002", "Structure of calf of leg"),
    "front": ("818983003", "Abdomen"),
}
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}

_PARENTHESIS = re.compile(r"\s*\(.*?\)")


def body_site_code(spot: SpotSpec) -> tuple[str, str] | None:
    """SNOMED CT (code, display) for where a spot is, or None when none is known.

    A spot over one muscle is coded by that muscle when the muscle has a code; a spot that
    spans several muscles (the arcs, piriformis under the gluteus maximus, the sitting bone)
    or whose muscle has none is coded by its region.
    """
    muscles = {_PARENTHESIS.sub("", m).strip().lower() for m in spot.muscles}
    if len(muscles) == 1:
        (muscle,) = muscles
        if muscle in MUSCLE_CODES:
            return MUSCLE_CODES[muscle]
    return REGION_CODES.get(spot.region)


def coding(system: str, code_display: tuple[str, str]) -> dict:
    code, display = code_display
    return {"system": system, "code": code, "display": display}


# -- outcomes and dose (issue 16) -------------------------------------------------------------

# LOINC 91147-9 "Mean score [PEG]": see docs/export-formats.md for how it was checked.
PEG_SCORE = {"system": LOINC, "code": "91147-9", "display": "Mean score [PEG]"}
UCUM = "http://unitsofmeasure.org"
# The weekly form, as a Questionnaire canonical (its items: docs/export-formats.md)
WEEKLY_QUESTIONNAIRE = f"{BASE}/Questionnaire/weekly-function|1"
# Identifier values: "weekly-form/<answered at, UTC>"
RESPONSE_IDENTIFIER_SYSTEM = f"{BASE}/sid/questionnaire-response"
PGIC_SYSTEM = f"{BASE}/CodeSystem/pgic"  # codes 1-7, the PGIC answers
TOOL_SYSTEM = f"{BASE}/CodeSystem/tool"  # codes: selftrack's tool ids (ball, cane, ...)
PRESSURE_SYSTEM = f"{BASE}/CodeSystem/pressure"  # codes light, medium, firm

# (code, display) of OBSERVATION_SYSTEM
MORNING_BACK = ("morning-back-pain", "Low back pain right now, at the morning check-in")
MORNING_LEG = ("morning-leg-pain", "Leg pain right now (buttock to foot), at the morning check-in")
BELOW_KNEE = ("below-knee", "Leg pain or feeling goes below the knee")
NIGHT = ("night-sleep", "How the night's sleep was (0 terrible - 10 excellent)")
PEG = ("peg-score", "PEG: mean of pain, interference with enjoyment of life and with general activity")
PSFS = ("psfs-score", "Patient-Specific Functional Scale: mean of the activities' ratings")
PSFS_ACTIVITY = ("psfs-activity", "Patient-Specific Functional Scale: one activity's rating")
HOLD_SECONDS = ("hold-seconds", "Seconds the spot was held (hold timer)")
SPOT_TOOL = ("spot-tool", "Tool used on this spot (when not the session's)")
PRESSURE = ("pressure", "Pressure chosen for this spot")
LOWER_BACK_SITE = ("37822005", "Lower back structure")  # REGION_CODES["low-back"]
