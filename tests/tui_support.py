"""A bare host app for screen tests, and a way to wait for workers."""

from __future__ import annotations

from textual.app import App


class ScreenHost(App):
    """A bare app that shows one screen, as the real app pushes it."""

    def __init__(self, make_screen) -> None:
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


async def settle(pilot) -> None:
    """Wait until every worker finished and its results are on screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
