"""How the terminal program reaches the core: one worker helper, and typed results.

`call` runs one core function in a thread worker (the database and files never block the
screen) and posts the typed message `done(result)` to the widget or screen that asked;
handlers (`@on(...)`) touch the widgets. A failure is shown as a notification, never a
traceback, and posted as `CoreFailed` for whoever must react to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

T = TypeVar("T")


class CoreFailed(Message):
    """A core call failed; the user has been told why."""

    def __init__(self, doing: str, error: BaseException) -> None:
        super().__init__()
        self.doing = doing
        self.error = error

    @property
    def reason(self) -> str:
        return describe(self.error)


def call(
    node: MessagePump,
    work: Callable[..., T],
    *args: Any,
    done: Callable[[T], Message],
    doing: str,
    group: str = "core",
    exclusive: bool = False,
    quiet: bool = False,
    **kwargs: Any,
) -> Worker:
    """Run `work(*args, **kwargs)` in a thread worker and post `done(result)` to `node`.

    With `exclusive`, a newer call in the same group replaces an older one, whose result is
    then dropped. With `quiet`, a failure is posted but not shown.
    """
    app = node.app

    def run() -> None:
        try:
            result = work(*args, **kwargs)
        except Exception as error:  # every failure is shown and posted, never raised here
            if not quiet:
                app.call_from_thread(report, app, error, doing)
            node.post_message(CoreFailed(doing, error))
            return
        if not get_current_worker().is_cancelled:
            node.post_message(done(result))

    return node.run_worker(run, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def describe(error: BaseException) -> str:
    """What went wrong, in one line: the core's own explanation, or the error's kind."""
    from selftrack.errors import SelftrackError

    if isinstance(error, SelftrackError):
        return str(error)
    return f"{type(error).__name__}: {error}".strip()


def report(app, error: BaseException, doing: str) -> None:
    """Tell the user in a notification what could not be done, and why."""
    from selftrack.domain.text import printable

    app.log.error(f"{doing} failed", error)
    app.notify(
        printable(describe(error)), title=f"Could not {doing}", severity="error", timeout=10, markup=False
    )
