"""SpotInfoDialog: everything about the current spot, scrolling, one key from the walk (i)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from selftrack.tui.widgets.key_footer import KeyFooter


class SpotInfoDialog(ModalScreen[None]):
    """The spot's cautions, how to find it, how it may feel, where it spreads, pressure, tools."""

    BINDINGS = [
        Binding("escape,i,enter", "close", "Back to the spot", key_display="esc"),
        Binding("pagedown", "page(1)", "Page down", key_display="pgdn", priority=True),
        Binding("pageup", "page(-1)", "Page up", key_display="pgup", priority=True),
    ]

    def __init__(self, title: Text, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="spot-info-box", classes="dialog"):
            yield Static(self.title_text, id="spot-info-title")
            with VerticalScroll(id="spot-info-scroll"):
                yield Static(self.body, id="spot-info-body")
        yield KeyFooter()

    def action_page(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        if pages > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
