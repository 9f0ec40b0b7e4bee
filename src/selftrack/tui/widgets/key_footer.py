"""KeyFooter: the screen's keys on one line, drawn as text (a lighter Footer)."""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterEntry(NamedTuple):
    """One key shown in the footer, and the cells it takes."""

    key: str
    start: int
    end: int
    enabled: bool


class KeyFooter(Widget):
    """The bindings a screen shows, as ` key description` pairs, drawn as Textual's Footer.

    Footer mounts one widget per key and mounts them all again whenever the bindings are
    refreshed (the first rating after the walk opened paid ~30 ms for that); this widget draws
    the same line as one Text, so a change of bindings is a single repaint. Used on the home
    and walk screens, whose speed is measured (benchmarks/tui_*.py).
    """

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[FooterEntry] = []
        self._shown = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # like Footer, the keys come in the frame after the screen's first: that one stays light
        self.call_after_refresh(self._show)

    def _show(self) -> None:
        self._shown = True
        self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        dim = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        if not self._shown:
            return text
        entries: list[FooterEntry] = []
        shown_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            # like Footer: one entry per action (its first key), only bindings meant to be shown
            if not binding.show or binding.action in shown_actions:
                continue
            shown_actions.add(binding.action)
            start = text.cell_len
            extra = Style() if enabled else dim
            text.append(f" {self.app.get_key_display(binding)} ", key_style + extra)
            if binding.description:
                text.append(f"{binding.description} ", description_style + extra)
            entries.append(FooterEntry(binding.key, start, text.cell_len, enabled))
        self._entries = entries
        text.stylize_before(self.rich_style)
        return text

    def on_click(self, event: events.Click) -> None:
        for entry in self._entries:
            if entry.start <= event.x < entry.end:
                if entry.enabled:
                    self.app.simulate_key(entry.key)
                else:
                    self.app.bell()
                return
