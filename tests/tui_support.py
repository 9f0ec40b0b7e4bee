"""Helpers for the terminal program's tests (importable: tests/ is on the path)."""

from __future__ import annotations

import asyncio

from textual.app import App


async def settle(pilot, rounds: int = 100) -> None:
    """Let every worker (and any worker they start) finish, and messages be handled."""
    quiet = 0
    for _ in range(rounds):
        running = [w for w in pilot.app.workers if not w.is_finished]
        # failed workers are the program's business (it shows a message), not the test's
        await asyncio.gather(*(w.wait() for w in running), return_exceptions=True)
        await pilot.pause()
        busy = any(not worker.is_finished for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return


def text_of(app, selector: str) -> str:
    """The plain text a Static on the current screen shows."""
    widget = app.screen.query_one(selector)
    content = widget.render()
    if hasattr(content, "plain"):
        return content.plain
    # a Rich renderable drawn by itself (the home screen's cards): its lines at the widget's width
    import io

    from rich.console import Console

    console = Console(width=widget.content_size.width, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


class ScreenHost(App):
    """A bare app that shows one screen, as the real app pushes it, over a tracker (with the
    real app's size classes, by which screens lay themselves out)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall"), (50, "-very-tall")]

    def __init__(self, make_screen, tracker=None) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.tracker = tracker

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def screen_text(app) -> str:
    """Every character on the terminal as plain text, one line per row (what a person sees)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      color_system=None, legacy_windows=False, safe_box=False)  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def burst(pilot, *keys: str) -> None:
    """Keys as a terminal sends them when typed fast: all in the app's queue at once (unlike
    `pilot.press`, which waits for the app to be idle after each), then settle."""
    import contextvars

    from textual import events

    for key in keys:
        character = key if len(key) == 1 else "\r" if key == "enter" else None
        pilot.app.post_message(contextvars.Context().run(events.Key, key, character))
    await settle(pilot)
    # keys still held wait for a screen to say it is ready (after a frame): on a busy machine
    # that can come after the workers are quiet, so wait for them too, a while at most
    for _ in range(50):
        if not getattr(pilot.app, "held_keys", None):
            return
        await pilot.pause(0.02)
        await settle(pilot)
