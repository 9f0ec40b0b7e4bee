"""Keys typed ahead: how a screen tells the app it can take the keys that wait."""

from __future__ import annotations

from textual.message_pump import MessagePump


def keys_ready(node: MessagePump) -> None:
    """The screen of `node` may now take keys: the app hands it the next one that waits."""
    ready = getattr(node.app, "keys_ready", None)
    if ready is not None:
        ready()
