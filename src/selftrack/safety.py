"""The safety texts every front end shows, and whether the first-run note has been read.

The acknowledgement is a small owner-only file in the config folder, so it survives a new
database and is never part of the health record.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from selftrack import paths

EASE_OFF_AT = 8
ACK_FILENAME = "safety-note-read"

EMERGENCY = "emergency"  # yes means: stop, go to an emergency department today
CLINICIAN = "clinician"  # yes means: see a clinician before treating yourself

NOT_ADVICE = (
    "selftrack is a diary, not a clinician. It records how tender named spots feel to you; it "
    "does not diagnose or treat anything. The routines describe gentle self-massage for "
    "ordinary muscular aches."
)
EMERGENCY_INTRO = (
    "Stop, press nothing, and go to an emergency department today if you have any of these. "
    "They can be signs of pressure on the nerves at the bottom of the spine (cauda equina "
    "syndrome), which needs treatment within hours:"
)
CLINICIAN_INTRO = "See a clinician before treating yourself if any of these is true:"
CONDITIONS_INTRO = "These change what is safe in the routines; if one applies to you, follow what it says:"
NERVE_LASTING = (
    "Numbness or pins and needles that lasts after you release a spot, or into the next day: "
    "stop and tell a clinician."
)
WHILE_YOU_WORK = (
    "Deeper is not better: a rating of 8 or more means ease off. An electric, shooting or "
    "tingling feeling means you are on a nerve: move off the spot. " + NERVE_LASTING
)
MAP_NERVES = (
    "On the body map, the faint dotted lines are nerves (the sciatic nerve and the pudendal "
    "nerve): never lean a ball, a roller, an elbow or your weight on them."
)
EASE_OFF = "Ease off: deeper is not better. Lighter pressure for longer does the job."
NERVE = (
    "Move off this spot: an electric, shooting or tingling feeling means pressure on a nerve. "
    "It is marked, and later sessions will warn you here."
)

# Routine-wide cautions every built-in routine carries, word for word (tests check it).
ROUTINE_NOT_ADVICE = "This is self-care, not medical advice or a diagnosis."
ROUTINE_RED_FLAGS = (
    "Numbness in the saddle area (between the legs, around the back passage), new bladder or "
    "bowel trouble, or symptoms in both legs: do not start; go to an emergency department "
    "today. Other warning signs that need a clinician first are in the safety note."
)
ROUTINE_NERVE = (
    "An electric, shooting or tingling feeling means you are on a nerve: move off the spot. "
    + NERVE_LASTING
)
ROUTINE_SORENESS = (
    "Some soreness the next day is common. If it lasts more than 48 hours, use less pressure "
    "next time; if pain keeps building, stop."
)
ROUTINE_SKIN = (
    "Skip broken skin, rashes and bruises. If pressing leaves a bruise, wait until it has "
    "faded before pressing there again."
)
ROUTINE_CONDITIONS = (
    "Blood thinners, osteoporosis, pregnancy, reduced feeling in the skin, an implanted "
    "stimulator or pump, recent spine or hip surgery, a hip replacement or an injection in "
    "the last 7 days change this routine: see the safety note before you start."
)
ROUTINE_CAUTIONS: tuple[str, ...] = (
    ROUTINE_NOT_ADVICE,
    ROUTINE_RED_FLAGS,
    ROUTINE_NERVE,
    ROUTINE_SORENESS,
    ROUTINE_SKIN,
    ROUTINE_CONDITIONS,
)


@dataclass(frozen=True, slots=True)
class ScreenQuestion:
    """One yes/no question of the red-flag screen, and what a yes means."""

    id: str  # stable: answers are stored under it
    question: str
    urgency: str  # EMERGENCY or CLINICIAN
    sign: str  # the sign in a few words, for lists
    advice: str  # shown when the answer is yes


_EMERGENCY_ADVICE = (
    "Stop, and do not press anything. Go to an emergency department today and say you have "
    "back pain with {sign}: it can mean pressure on the nerves at the bottom of the spine "
    "(cauda equina syndrome), which needs treatment within hours."
)
_CLINICIAN_ADVICE = (
    "Please see a clinician (your doctor or a physiotherapist) before treating yourself, and "
    "tell them about {sign}. You can still look at your history and export it for them."
)


def _emergency(qid: str, question: str, sign: str, advice: str = "") -> ScreenQuestion:
    return ScreenQuestion(qid, question, EMERGENCY, sign, advice or _EMERGENCY_ADVICE.format(sign=sign))


def _clinician(qid: str, question: str, sign: str) -> ScreenQuestion:
    return ScreenQuestion(qid, question, CLINICIAN, sign, _CLINICIAN_ADVICE.format(sign=sign))


RED_FLAG_SCREEN: tuple[ScreenQuestion, ...] = (
    _emergency(
        "saddle-numbness",
        "Do you have new numbness or pins and needles between your legs or around your back "
        "passage (the area that would touch a saddle)?",
        "numbness in the saddle area (between the legs, around the back passage)",
    ),
    _emergency(
        "bladder-bowel",
        "Have you had new trouble passing urine, or new leaking or loss of control of your "
        "bladder or bowels?",
        "new bladder or bowel trouble",
    ),
    _emergency(
        "bladder-feeling",
        "Have you stopped feeling your bladder fill, or feeling urine or stool pass?",
        "not feeling your bladder fill",
    ),
    _emergency(
        "both-legs",
        "Do you have pain, numbness, pins and needles or weakness in both legs?",
        "symptoms in both legs",
    ),
    _emergency(
        "sexual-function",
        "Have you noticed new numbness of the genitals or new trouble with sexual function?",
        "new numbness of the genitals or new trouble with sexual function",
    ),
    _emergency(
        "leg-weakness",
        "Is a leg getting weaker (a foot that drags or slaps, tripping, a knee that gives way)?",
        "leg weakness that is getting worse",
        "Stop, and do not press anything. Get seen today, at an emergency department if you "
        "cannot reach your doctor: weakness that is getting worse can mean a nerve is being "
        "squeezed and needs treatment soon.",
    ),
    _emergency(
        "belly-pulse",
        "Can you feel a pulsing lump in your belly?",
        "a pulsing lump in the belly",
        "Stop, and do not press anything. Get seen today, at an emergency department if the "
        "pain is severe or you feel faint: with back pain, a pulsing lump can be a swelling of "
        "the main artery (aortic aneurysm).",
    ),
    _clinician(
        "age",
        "Did this back pain start for the first time after the age of 50, or before 20?",
        "back pain that began after 50 or before 20",
    ),
    _clinician(
        "night-pain",
        "Is the pain constant, or worst at night, and not eased by rest or by changing position?",
        "constant or night pain that rest and position do not ease",
    ),
    _clinician(
        "upper-back",
        "Do you have pain in the upper back, between or above the shoulder blades?",
        "pain in the upper back",
    ),
    _clinician(
        "immune-risk",
        "Do you take steroid tablets long term or medicine that weakens the immune system, have "
        "you ever injected drugs, or have you had an infection recently?",
        "long-term steroids, a weakened immune system, injected drugs or a recent infection",
    ),
    _clinician(
        "fall-osteoporosis",
        "Do you have osteoporosis (thin bones), and did the pain start after a fall or a jolt, "
        "even a small one?",
        "a fall, even a small one, with osteoporosis",
    ),
    _clinician(
        "unwell",
        "Do you feel generally unwell, or have you had a fever, or lost weight without trying?",
        "feeling unwell, a fever, or weight loss you cannot explain",
    ),
    _clinician("cancer", "Have you ever had cancer?", "a history of cancer"),
    _clinician(
        "major-injury",
        "Did the pain start with a major injury, such as a fall from a height or a road accident?",
        "pain that began with a major injury",
    ),
)


def screen_question(question_id: str) -> ScreenQuestion:
    """The question with this id (KeyError when there is none)."""
    for question in RED_FLAG_SCREEN:
        if question.id == question_id:
            return question
    raise KeyError(question_id)


def emergency_signs() -> tuple[str, ...]:
    """The signs that mean an emergency department today, in a few words each."""
    return tuple(q.sign for q in RED_FLAG_SCREEN if q.urgency == EMERGENCY)


def clinician_signs() -> tuple[str, ...]:
    """The signs that mean seeing a clinician before self-treatment."""
    return tuple(q.sign for q in RED_FLAG_SCREEN if q.urgency == CLINICIAN)


# The safety note as blocks, rendered to the README, the first-run note and the help screen.
Block = tuple[str, str]  # (kind, text): kind is "p", "h" (a lead-in line) or "li"


def safety_blocks() -> tuple[Block, ...]:
    """The whole safety note in order: what selftrack is, red flags, conditions, while working."""
    from selftrack.domain.conditions import ASKED_CONDITIONS

    blocks: list[Block] = [("p", NOT_ADVICE), ("h", EMERGENCY_INTRO)]
    blocks += [("li", sign) for sign in emergency_signs()]
    blocks.append(("h", CLINICIAN_INTRO))
    blocks += [("li", sign) for sign in clinician_signs()]
    blocks.append(("h", CONDITIONS_INTRO))
    blocks += [("li", f"{c.name} — {c.why}") for c in ASKED_CONDITIONS]
    blocks.append(("h", "While you work:"))
    blocks += [
        ("p", WHILE_YOU_WORK),
        ("p", MAP_NERVES),
        ("p", f"{ROUTINE_SORENESS} {ROUTINE_SKIN}"),
    ]
    return tuple(blocks)


def safety_markdown(width: int = 95) -> str:
    """The safety note as the body of the README's "Not medical advice" section."""
    out: list[str] = []
    previous = ""
    for kind, text in safety_blocks():
        if out and not (kind == "li" and previous == "li"):
            out.append("")
        shown = {"h": f"**{text}**", "li": f"- {text}"}.get(kind, text)
        out += textwrap.wrap(shown, width, subsequent_indent="  " if kind == "li" else "")
        previous = kind
    return "\n".join(out) + "\n"


def is_ease_off(tenderness: int | None) -> bool:
    """Whether a rating is high enough to suggest easing off."""
    return tenderness is not None and tenderness >= EASE_OFF_AT


def ack_path() -> Path:
    """The file whose presence means the first-run note was read."""
    return paths.config_dir() / ACK_FILENAME


def is_acknowledged() -> bool:
    """Whether the first-run safety note has been read on this account."""
    return ack_path().is_file()


def acknowledge(now: datetime) -> Path:
    """Record that the safety note was read (owner-only file holding the UTC moment)."""
    path = ack_path()
    paths.make_private_dir(path.parent)
    with paths.open_private(path) as handle:
        handle.write(now.isoformat() + "\n")
    return path
