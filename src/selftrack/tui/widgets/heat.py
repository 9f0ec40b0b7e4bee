"""The tenderness palette: colour-blind-safe (Okabe–Ito hues), always shown with the number."""

from __future__ import annotations

# (lowest value, colour, words) per band; the hues stay apart for the common colour-vision types.
BANDS: tuple[tuple[int, str, str], ...] = (
    (0, "#56B4E9", "0–2 quiet"),
    (3, "#F0E442", "3–4 tender"),
    (5, "#E69F00", "5–7 sore"),
    (8, "#D55E00", "8–10 ease off"),
)


def band(value: int) -> int:
    """The band index (0–3) of a tenderness value."""
    index = 0
    for number, (low, _colour, _words) in enumerate(BANDS):
        if value >= low:
            index = number
    return index


def colour(value: int) -> str:
    """The heat colour of a tenderness value."""
    return BANDS[band(value)][1]
