"""The safety words live in one place (selftrack.safety) and say the same thing everywhere."""

from __future__ import annotations

from pathlib import Path

from selftrack import safety

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n") + len(f"## {title}\n")
    end = text.index("\n## ", start)
    return text[start:end].strip() + "\n"


def test_readme_not_medical_advice_is_the_text_from_safety_py():
    assert readme_section("Not medical advice") == safety.safety_markdown()


def test_help_screen_and_first_run_note_say_the_same_words():
    from selftrack.tui.screens.safety import safety_text

    shown = " ".join(safety_text().plain.split())
    for _kind, text in safety.safety_blocks():
        assert " ".join(text.split()) in shown


def test_cauda_equina_signs_mean_an_emergency_department_today():
    emergency = {q.id for q in safety.RED_FLAG_SCREEN if q.urgency == safety.EMERGENCY}
    assert {"saddle-numbness", "bladder-bowel", "bladder-feeling", "both-legs", "sexual-function"} <= emergency
    for qid in ("saddle-numbness", "bladder-bowel", "bladder-feeling", "both-legs", "sexual-function"):
        advice = safety.screen_question(qid).advice
        assert "emergency department today" in advice and "cauda equina" in advice
    assert "emergency department today" in safety.EMERGENCY_INTRO
    assert "promptly" not in safety.safety_markdown()


def test_the_rest_of_the_red_flags_are_a_yes_no_screen():
    ids = [q.id for q in safety.RED_FLAG_SCREEN]
    assert len(ids) == len(set(ids)), "stable, unique ids"
    for qid in ("age", "night-pain", "upper-back", "immune-risk", "fall-osteoporosis", "unwell",
                "belly-pulse", "cancer", "major-injury", "leg-weakness"):
        question = safety.screen_question(qid)
        assert question.question.endswith("?") and question.advice and question.sign
        assert question.urgency in (safety.EMERGENCY, safety.CLINICIAN)
    clinician = [q for q in safety.RED_FLAG_SCREEN if q.urgency == safety.CLINICIAN]
    assert all("clinician" in q.advice for q in clinician)
    immune = safety.screen_question("immune-risk").question
    assert "steroid" in immune and "immune" in immune and "injected drugs" in immune and "infection" in immune
    age = safety.screen_question("age").question
    assert "50" in age and "20" in age


def test_numbness_that_lasts_means_stop_and_tell_a_clinician():
    assert "lasts after you release" in safety.NERVE_LASTING
    assert "stop and tell a clinician" in safety.NERVE_LASTING
    assert safety.NERVE_LASTING in safety.WHILE_YOU_WORK and safety.NERVE_LASTING in safety.ROUTINE_NERVE


def test_the_note_lists_every_condition_that_changes_a_routine():
    from selftrack.domain.conditions import ASKED_CONDITIONS

    note = safety.safety_markdown()
    for condition in ASKED_CONDITIONS:
        assert condition.name.split(" (")[0] in " ".join(note.split())


def test_readme_reading_trends_is_the_rule_from_the_core():
    from selftrack.render.history import reading_trends_markdown

    assert readme_section("Reading trends: what counts as real change") == reading_trends_markdown()
    assert "not validated for the tenderness of a spot" in " ".join(reading_trends_markdown().split())
