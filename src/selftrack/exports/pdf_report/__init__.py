"""PDF report for a clinician: a one-page summary, then the spots, trends, sessions and notes.

Every figure arrives in a ReportData, gathered by the Tracker (selftrack.tracker.review); this
package only lays them out with reportlab's vector drawing:

- `text`: the fonts (DejaVu Sans embedded, CID fonts for Chinese, Japanese and Korean), user
  text made safe, dates and styles;
- `summary`: page 1; `maps`: its body maps with numbered dots; `charts`: the charts;
- `tables`: the pages after it; `palette`: the colours.

Any period keeps to about a dozen pages: long periods sum sessions up by day, week or month,
and the notes shown are the latest (all of them are in the JSON export).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import BinaryIO

from .data import Bar, CareSummary, Referral, Regularity, ReportData, ScreenAnswer, SessionGroup

__all__ = [
    "Bar",
    "CareSummary",
    "Referral",
    "Regularity",
    "ReportData",
    "ScreenAnswer",
    "SessionGroup",
    "render",
    "write_pdf",
]


class _Stamp:
    """The document's creation date, as reportlab's TimeStamp gives it: the report's real
    moment (from the Tracker's clock) with its offset from UTC."""

    def __init__(self, moment: datetime) -> None:
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        self.t = moment.timestamp()
        self.YMDhms = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
        self.lt = self.YMDhms
        self.dhh = int(minutes / 60)  # toward zero, as reportlab writes it
        self.dmm = abs(minutes) % 60
        self.tzname = moment.tzname() or ""


def _numbered_canvas(data: ReportData):
    from reportlab.pdfgen.canvas import Canvas

    from .text import FONT, clock_time

    footer = f"selftrack report - generated {clock_time(data.generated, data.generated.tzinfo)} - not medical advice"

    class NumberedCanvas(Canvas):
        """Writes 'page n of N' and the generation date on every page once all are known, and
        dates the document when it was made (reportlab's invariant mode says 2000-01-01)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _Stamp(data.generated)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(FONT, 7)
                self.setFillGray(0.35)
                self.drawString(42, 22, footer)
                self.drawRightString(width - 42, 22, f"page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render(data: ReportData, out: BinaryIO) -> None:
    """Lay the report out as an A4 PDF into `out`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from . import maps, summary, tables
    from .text import styles

    styles()  # registers the fonts
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=11 * mm,
        bottomMargin=13 * mm,
        title="selftrack report" + (f" for {data.name}" if data.name else ""),
        author="selftrack",
        invariant=True,  # the same data and clock give the same bytes; the date is set above
    )
    numbers = maps.number_spots(data.heat.cells if data.heat else ())
    # what the page's frame holds: SimpleDocTemplate's frame keeps 6 points of padding all round
    width, height = doc.width - 12, doc.height - 12
    story = summary.page_one(data, numbers, width, height)
    if data.summaries:
        story += tables.rest(data, numbers, width)
    doc.build(story, canvasmaker=_numbered_canvas(data))


def write_pdf(out: BinaryIO, data: ReportData) -> tuple[int, int]:
    """Render the report; returns (sessions, ratings) it covers (skipped spots are not ratings)."""
    render(data, out)
    return len(data.summaries), data.ratings
