"""Text in the PDF: every script a person types, made safe, in the report's fonts and styles.

DejaVu Sans (shipped in `fonts/`, licence beside it) is embedded, subset, for everything it
covers: Latin with every accent, Greek, Cyrillic and much more. Chinese, Japanese and Korean
letters, which it lacks, are set run by run in reportlab's CID fonts (STSong-Light,
HeiseiMin-W3, HYSMyeongJo-Medium), which PDF readers supply. A character no font here has is
shown as a visible `[U+XXXX]` mark, never as a "?" or an empty box, so the PDF's text (what
pdftotext gives back) always says what was typed.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, tzinfo
from pathlib import Path
from xml.sax.saxutils import escape

from selftrack.domain.text import printable

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
FOLDER = Path(__file__).with_name("fonts")

CHINESE, JAPANESE, KOREAN = "STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium"
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF65, 0xFF9F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
_CJK = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31EF),
    (0x3200, 0x33FF),  # enclosed letters, compatibility
    (0x3400, 0x4DBF),  # ideographs, extension A
    (0x4E00, 0x9FFF),  # ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
) + _KANA + _HANGUL


def _within(code: int, ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


@functools.cache
def covered() -> frozenset[int]:
    """Register the report's fonts with reportlab (once); the code points DejaVu Sans draws."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FOLDER / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    _write_wide_characters()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def _write_wide_characters() -> None:
    """Make reportlab's ToUnicode CMap of a font subset write characters beyond U+FFFF as UTF-16
    (surrogate pairs), as the PDF standard has them. reportlab 5.1 writes only their low 16
    bits, so a reader gave back U+1F60 for U+1F600. Characters up to U+FFFF are untouched."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "writes_wide", False):
        return

    def to_unicode_cmap(fontname, subset):
        cmap = original(fontname, subset)
        if all(code <= 0xFFFF for code in subset):
            return cmap
        lines = cmap.split("\n")
        first = lines.index(f"{len(subset)} beginbfchar") + 1
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                lines[first + index] = f"<{index:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
        return "\n".join(lines)

    to_unicode_cmap.writes_wide = True
    ttfonts.makeToUnicodeCMap = to_unicode_cmap


@functools.cache
def _cid_font(name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def _east_asian_font(run: str) -> str:
    codes = [ord(c) for c in run]
    if any(_within(c, _KANA) for c in codes):
        return _cid_font(JAPANESE)
    if any(_within(c, _HANGUL) for c in codes):
        return _cid_font(KOREAN)
    return _cid_font(CHINESE)


# -- user text, made safe and set in the right fonts ------------------------------------------


def _runs(text: str):
    """`text` in runs of one kind, in order: (kind, run), kind "" for what DejaVu Sans draws
    (and line breaks), "cjk" for East Asian letters, "mark" for what no font here has."""
    have = covered()
    kind_of = []
    for char in text:
        code = ord(char)
        if code in have or char in "\n\t":
            kind_of.append("")
        elif _within(code, _CJK):
            kind_of.append("cjk")
        else:
            kind_of.append("mark")
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or kind_of[index] != kind_of[start]:
            yield kind_of[start], text[start:index]
            start = index


def markup(value: str, *, lines: bool = True) -> str:
    """User text as paragraph markup: control characters shown as visible `\\xNN` marks (as on
    the terminal), markup characters escaped, East Asian runs in a CID font, characters no
    font has as `[U+XXXX]`, and (with `lines`) newlines kept as line breaks."""
    clean = printable(value, multiline=lines)
    out = []
    for kind, run in _runs(clean):
        if kind == "cjk":
            out.append(f'<font name="{_east_asian_font(run)}">{escape(run)}</font>')
        elif kind == "mark":
            out.append(f'<font color="#777777">{"".join(f"[U+{ord(c):04X}]" for c in run)}</font>')
        else:
            out.append(escape(run))
    text = "".join(out)
    return text.replace("\n", "<br/>") if lines else text


def is_plain(value: str) -> bool:
    """Whether `value` can be drawn as it is in DejaVu Sans: no control character, no letter
    another font must draw. Such text needs no paragraph (much quicker in big tables)."""
    have = covered()
    return printable(value) == value and all(ord(c) in have for c in value)


def bold_marks(paragraph: str) -> str:
    """One of the core's paragraphs (`**` marks bold) as markup."""
    parts = markup(paragraph, lines=False).split("**")
    return "".join(f"<b>{part}</b>" if index % 2 else part for index, part in enumerate(parts))


def many(count: int, word: str) -> str:
    """'1 day', '12,484 days': render.words.counted with thousands marked."""
    from selftrack.render.words import counted

    return counted(count, word).replace(str(count), f"{count:,}", 1)


# -- dates and times ---------------------------------------------------------------------------


def day(moment: date | datetime) -> str:
    """'4 Sep 2026'."""
    return f"{moment.day} {moment:%b %Y}"


def clock_time(moment: datetime, tz: tzinfo) -> str:
    """'4 Sep 2026 07:30 BST': a moment in the report's zone, with the zone's abbreviation."""
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y %H:%M} {local.tzname() or ''}".rstrip()


# -- styles ------------------------------------------------------------------------------------


@functools.cache
def styles() -> dict:
    """The report's paragraph styles, all in DejaVu Sans."""
    from reportlab.lib.styles import ParagraphStyle

    covered()
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.6, leading=11, spaceAfter=2)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=18, spaceAfter=2),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=3),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=9, leading=11.5, spaceBefore=3, spaceAfter=1),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.4, leading=9.2, spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.4, spaceAfter=0),
        "box": ParagraphStyle("box", parent=base, fontSize=8, leading=10, spaceAfter=1),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=6, leading=7.2, spaceAfter=0),
        "list": ParagraphStyle("list", parent=base, fontSize=8, leading=10, spaceAfter=2),
    }
