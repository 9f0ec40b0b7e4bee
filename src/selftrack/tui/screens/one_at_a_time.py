"""What the dialogs that ask one question at a time share (the safety questions, the morning
check-in, the weekly form): forward on an answer, back with `b`, later with `esc`, and nothing
moves while the answers are being stored."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class OneAtATime(ModalScreen[Result], Generic[Result]):
    """A modal that asks its `steps` in turn; `index` is the one shown, `step` its name.

    Subclasses name their steps (or override `question_count()`), draw the question in
    `_show()` and store the answers in `_store()` (setting `_storing` until the core has
    answered); `_went_back()` may forget the answer left."""

    def __init__(self) -> None:
        super().__init__()
        self.index = 0
        self._storing = False

    @property
    def ready_for_keys(self) -> bool:
        """Keys typed while the dialog reads its questions, or stores the answers, wait for
        it (selftrack.tui.typeahead)."""
        return self._questions_known() and not self._storing

    def _questions_known(self) -> bool:
        """Whether the questions are known (a dialog that reads them first says when)."""
        return True

    @property
    def steps(self) -> list[str]:
        raise NotImplementedError

    @property
    def step(self) -> str:
        return self.steps[self.index]

    def question_count(self) -> int:
        return len(self.steps)

    def _show(self) -> None:
        raise NotImplementedError

    def _store(self) -> None:
        raise NotImplementedError

    def _went_back(self) -> None:
        """Called after moving back one question, before it is shown."""

    def _next(self) -> None:
        """On to the next question, or store the answers after the last one."""
        if self.index >= self.question_count() - 1:
            self._store()
            return
        self.index += 1
        self._show()

    def action_back(self) -> None:
        if self.index > 0 and not self._storing:
            self.index -= 1
            self._went_back()
            self._show()

    def action_later(self) -> None:
        if not self._storing:
            self.dismiss(None)
