"""The command line: a thin click layer over the Tracker.

A bare `selftrack` with at most --db and --profile is opened by selftrack.launch without
building this table; with anything more (--protocols-dir, a command) it comes through here.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from selftrack import __version__
from selftrack.clock import WHEN_HELP, counted
from selftrack.errors import SelftrackError
from selftrack.options import Options, open_program
from selftrack.paths import DB_ENV, DEFAULT_PROFILE, PROFILE_ENV, PROTOCOLS_ENV


class UserError(click.ClickException):
    """A one-line reason on stderr and exit status 1."""

    def show(self, file=None) -> None:
        from selftrack.domain.text import printable

        click.echo(f"selftrack: {printable(self.format_message())}", err=True)


def _user_errors(func):
    """Turn the core's refusals into a one-line message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SelftrackError as exc:
            raise UserError(str(exc)) from None
        except Exception as exc:
            if "sqlalchemy" in type(exc).__module__ and hasattr(exc, "orig"):
                reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                raise UserError(f"database error: {reason}") from None
            raise

    return wrapper


class Context(Options):
    """What every command receives: the global options and a lazily built Tracker."""

    def existing_database(self) -> None:
        """For commands that only read: a missing database is said in one line, never created."""
        from selftrack.errors import DatabaseError

        try:
            self.tracker.open_database(create=False)
        except DatabaseError as exc:
            reason = str(exc)
            if reason.startswith("no database at"):
                reason += " (nothing is recorded there yet; only a session, import or demo creates one)"
            raise UserError(reason) from None

    def use_profile(self, name: str) -> None:
        """Switch to profile `name` (a command's own --profile) before the tracker is made."""
        if self._tracker is not None and name != self.profile:
            raise RuntimeError("the profile must be chosen before the tracker is used")
        self.profile = name


pass_context = click.make_pass_decorator(Context)


def range_options(func):
    """--from and --to, read as WHEN words."""
    func = click.option("--to", "until", metavar="WHEN", help=f"Up to and including: {WHEN_HELP}.")(func)
    func = click.option("--from", "since", metavar="WHEN", help=f"From: {WHEN_HELP}.")(func)
    return func


def json_option(func):
    """--json: print machine-readable output instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def _say(text: str, *, err: bool = False) -> None:
    """A message that holds a path or stored text, shown through the text gate."""
    from selftrack.domain.text import printable

    click.echo(printable(text, multiline=True), err=err)


def _print_json(data, indent: int | None = None) -> None:
    import json

    click.echo(json.dumps(data, indent=indent, ensure_ascii=False))


def _side_option(func):
    return click.option(
        "--side",
        type=click.Choice(["left", "right", "both"]),
        default=None,
        help="Which side to work on (asked on the start screen when left out).",
    )(func)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=DB_ENV,
    metavar="PATH_OR_URL",
    help="Database file or SQLAlchemy URL (env SELFTRACK_DB). Default: the user data folder.",
)
@click.option(
    "--protocols-dir",
    envvar=PROTOCOLS_ENV,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Extra folder of *.protocol.toml files (env SELFTRACK_PROTOCOLS_DIR).",
)
@click.option(
    "--profile",
    envvar=PROFILE_ENV,
    default=DEFAULT_PROFILE,
    show_default=True,
    metavar="NAME",
    help="Whose records to use, when one database holds several people.",
)
@click.version_option(__version__, prog_name="selftrack")
@click.pass_context
def cli(ctx: click.Context, db: str | None, protocols_dir: str | None, profile: str) -> None:
    """Log tenderness at named spots during low back and buttock self-massage.

    Run without a command to open the program. selftrack records what you feel; it is not
    medical advice and does not diagnose anything.
    """
    ctx.obj = Context(db, protocols_dir, profile)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        open_program(ctx.obj)


@cli.command()
@click.argument("protocol", required=False)
@_side_option
@pass_context
def session(obj: Context, protocol: str | None, side: str | None) -> None:
    """Open the program straight at the start of a session.

    PROTOCOL is a routine id from `selftrack protocols list`.
    """
    if protocol:
        _user_errors(obj.tracker.protocol)(protocol)
    open_program(obj, protocol=protocol, side=side)


# -- protocols ------------------------------------------------------------------------------


@cli.group()
def protocols() -> None:
    """List, show and check routines (protocol files)."""


@protocols.command("list")
@json_option
@pass_context
def protocols_list(obj: Context, as_json: bool) -> None:
    """List the routines you can walk."""
    from selftrack.domain.text import printable

    loaded = obj.tracker.load()
    specs = list(loaded.specs.values())
    if as_json:
        data = [
            {
                "id": s.id,
                "version": s.version,
                "name": s.name,
                "summary": s.summary,
                "minutes": s.minutes,
                "spots": s.spot_count,
                "routes": len(s.routes),
                "source": s.source,
                "content_hash": s.content_hash,
            }
            for s in specs
        ]
        _print_json(data, indent=2)
    else:
        width = max((len(s.id) for s in specs), default=2)
        for s in specs:
            minutes = f"~{s.minutes} min" if s.minutes else ""
            line = f"{s.id:<{width}}  {s.spot_count:>3} spots  {minutes:<8}  {s.summary}"
            click.echo(printable(line))
    for problem in loaded.problems:
        click.echo(f"warning: {printable(str(problem))}", err=True)


@protocols.command("show")
@click.argument("protocol_id")
@json_option
@click.option(
    "--condition",
    "conditions",
    multiple=True,
    metavar="ID",
    help="Show the routine adapted to this condition (repeat for more); see the format doc.",
)
@pass_context
@_user_errors
def protocols_show(obj: Context, protocol_id: str, as_json: bool, conditions: tuple[str, ...]) -> None:
    """Show a routine: its routes, spots and where they are on the body map.

    With --json: every step in walking order, both sides, with spot, side, position, tools,
    cautions and the nearest nerve or vessel.
    """
    from selftrack.render.protocol import protocol_text, protocol_walk

    spec = obj.tracker.protocol(protocol_id)
    if conditions:
        from selftrack.domain.conditions import CONDITION_IDS, adapt_protocol

        unknown = sorted(set(conditions) - set(CONDITION_IDS))
        if unknown:
            raise UserError(f"unknown condition {unknown[0]!r} (known: {', '.join(CONDITION_IDS)})")
        adapted = adapt_protocol(spec, conditions)
        spec = adapted.spec
        for reason in adapted.routine_skipped:
            click.echo(f"left out: {reason}", err=True)
        for spot_id, reason in adapted.skipped_spots.items():
            click.echo(f"left out {spot_id}: {reason}", err=True)
    if as_json:
        _print_json(protocol_walk(spec), indent=2)
    else:
        click.echo(protocol_text(spec))


@protocols.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
def protocols_check(obj: Context, paths: tuple[Path, ...]) -> None:
    """Check protocol files; every problem is printed as file:line: message (exit 1)."""
    from selftrack.domain.text import printable

    problems = obj.tracker.check_protocol_files(list(paths))
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    if problems:
        click.echo(f"selftrack: {counted(len(problems), 'problem')} found", err=True)
        sys.exit(1)
    click.echo(f"ok: {counted(len(paths), 'path')} checked, no problems", err=True)


@cli.command("profiles")
@json_option
@pass_context
@_user_errors
def profiles_(obj: Context, as_json: bool) -> None:
    """List the profiles (people) in the database with their session counts."""
    from selftrack.domain.text import printable

    obj.existing_database()
    summaries = obj.tracker.profiles()
    if as_json:
        data = [
            {
                "name": p.name,
                "sessions": p.sessions,
                "created_at": p.created_at.isoformat(),
                "last_session_at": p.last_session_at.isoformat() if p.last_session_at else None,
            }
            for p in summaries
        ]
        _print_json(data, indent=2)
        return
    if not summaries:
        click.echo("no profiles yet (one is made by the first session)", err=True)
        return
    clock = obj.tracker.clock
    width = max(len(printable(p.name)) for p in summaries)
    for p in summaries:
        mark = "*" if p.name == obj.profile else " "
        last = clock.local(p.last_session_at).format("YYYY-MM-DD") if p.last_session_at else "-"
        sessions = "session " if p.sessions == 1 else "sessions"
        click.echo(f"{mark} {printable(p.name):<{width}}  {p.sessions:>5} {sessions}  last {last}")


# -- database -------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Where the database is, and keeping it healthy."""


@db.command("path")
@pass_context
def db_path(obj: Context) -> None:
    """Print where the database is."""
    _say(_user_errors(obj.tracker.database_display)())


@db.command("check")
@click.option("--fix", is_flag=True, help="Remove leftovers of interrupted writes beside the database.")
@pass_context
@_user_errors
def db_check(obj: Context, fix: bool) -> None:
    """Check the database without changing it: integrity, schema, contents (exit 1 on a problem)."""
    report = obj.tracker.check_database(fix=fix)
    for line in report.lines:
        _say(line)
    if not report.ok:
        raise UserError("the database has problems (see above)")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
@_user_errors
def db_backup(obj: Context, file: Path) -> None:
    """Copy the database to FILE (SQLite; created readable by you only)."""
    obj.tracker.backup_database(file)
    _say(f"backed up to {file}", err=True)


@db.command("upgrade")
@click.option(
    "--no-backup",
    is_flag=True,
    help="Upgrade without a backup (when you made one yourself: PostgreSQL without pg_dump).",
)
@pass_context
@_user_errors
def db_upgrade(obj: Context, no_backup: bool) -> None:
    """Bring the database schema up to date, after a backup.

    A SQLite file is copied beside itself; a PostgreSQL database is dumped with pg_dump into
    the data folder (the upgrade is refused when pg_dump is missing, unless --no-backup).
    """
    _say(obj.tracker.upgrade_database(backup=not no_backup), err=True)


# -- history and trends ---------------------------------------------------------------------


def _period(obj: Context, since: str | None, until: str | None):
    clock = obj.tracker.clock
    start = clock.parse_when(since) if since else None
    end = clock.parse_when(until, end=True) if until else None
    if start and end and start > end:
        raise UserError("--from is after --to")
    return start, end


@cli.command()
@range_options
@json_option
@pass_context
@_user_errors
def history(obj: Context, since: str | None, until: str | None, as_json: bool) -> None:
    """List sessions newest first, with spots rated and overall pain before and after.

    Ends with a chart of the overall pain over time (dots: sessions; line: running median).
    """
    from itertools import islice

    from selftrack.domain.terms import SessionStatus
    from selftrack.render import history as text

    obj.existing_database()
    tracker = obj.tracker
    start, end = _period(obj, since, until)
    tz = tracker.clock.tz
    with tracker.streamed_history(start, end) as rows:
        if as_json:
            text.write_json_list((text.history_record(row, tz) for row in rows), sys.stdout)
            return
        pain: list = []
        changes: list[int] = []
        count = rated = finished = 0

        def seen(rows_):
            nonlocal count, rated, finished
            for row in rows_:
                count += 1
                rated += row.rated
                finished += row.status is SessionStatus.FINISHED
                if row.pain_before is not None:
                    pain.append((row.started_at, row.pain_before))
                    change = row.pain_change
                    if change is not None:
                        changes.append(change)
                yield row

        lines = text.history_lines(seen(rows), tracker.clock.now(), tz)
        header = [next(lines), next(lines)]
        first = next(lines, None)
        if first is None:
            click.echo("no sessions in this period", err=True)
            return
        # written a few hundred lines at a time (click.echo flushes each line: 12,000 system
        # calls for ten years; a write call per line costs a fifth of the formatting)
        write = sys.stdout.write
        write("\n".join((*header, first)) + "\n")
        while chunk := list(islice(lines, 500)):
            write("\n".join(chunk) + "\n")
    out = ["", text.history_footer(count, rated, changes, finished)]
    if pain:
        from selftrack.render.charts import trend_chart

        pain.reverse()  # oldest first
        trend = text.pain_before_trend(pain)
        out += ["", "Overall pain before each session:", trend_chart([trend], tz=tz, colour=_colour())]
    click.echo("\n".join(out))


@cli.command()
@click.argument("subjects", nargs=-1, metavar="[SPOT_OR_REGION]...")
@range_options
@json_option
@pass_context
@_user_errors
def trend(obj: Context, subjects: tuple[str, ...], since: str | None, until: str | None, as_json: bool) -> None:
    """Show how spots, regions, the overall pain or the outcomes changed, and what that amounts to.

    SPOT_OR_REGION is a spot id (`selftrack protocols show ID` lists them), a region
    (low-back, buttock, side-of-hip, thigh, calf, front) or `pain`; add :left, :right (or
    :both for a region, :before/:after for pain) to pick one side. The outcomes are
    pain:morning and leg:morning (the morning check-in), peg and psfs (the weekly form).
    Without any: every region and side, then the overall pain, then the outcomes that have
    values. Baseline is the median of the first 3 sessions of the period and latest the
    median of the last 3 (a week and a week of morning check-ins); a verdict needs 6 (14
    check-ins). A spot is clearly less (or more) tender at 2 points or more AND 30 % of its
    baseline or more; a region is judged from its spots' own changes; "meaningful" is kept
    for the overall pain and the outcomes, each by its published threshold
    (docs/outcomes.md). The notes under the table say what the numbers can and cannot mean.
    The trend per month is the Theil-Sen slope (median of pairwise slopes), robust to odd
    days.
    """
    from selftrack.domain.text import printable
    from selftrack.render import history as text

    obj.existing_database()
    tracker = obj.tracker
    start, end = _period(obj, since, until)
    trends = tracker.trends(subjects, start, end)
    tz = tracker.clock.tz
    if as_json:
        text.write_json_list(text.trend_records(trends, tz), sys.stdout, indent=None)
        return
    if not any(t.points or t.summary.sessions for t in trends):
        click.echo("no ratings in this period", err=True)
        return
    from selftrack.render.charts import trend_chart

    outcomes = any(t.subject.kind == "outcome" for t in trends)
    out = [text.trend_table(trends), "", text.trend_notes(outcomes)]
    groups: dict[str, list] = {}
    for item in trends:
        groups.setdefault(f"{item.subject.kind}:{item.subject.key}", []).append(item)
    for group in groups.values():
        shown = [t for t in group if t.points]
        if shown:
            title = printable(", ".join(t.name for t in shown))
            out += ["", title, trend_chart(shown, tz=tz, colour=_colour())]
    click.echo("\n".join(out))


def _colour() -> bool:
    return sys.stdout.isatty()


# -- outcomes: the morning check-in, the weekly form, what your own data says ----------------

SORENESS_CHOICES = "none, mild, sore-48h or bruised"


def _scale(option: str, text: str | None, low: int = 0, high: int = 10) -> int:
    """A whole number from the command line, or a one-line refusal."""
    try:
        value = int(text.strip()) if text is not None else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise UserError(f"{option} must be a whole number from {low} to {high}, not {text!r}")
    return value


@cli.command()
@click.option("--back", metavar="0-10", help="Low back pain right now (0 no pain, 10 as bad as you can imagine).")
@click.option("--leg", metavar="0-10", help="Pain in the leg right now, buttock to foot (0 none … 10).")
@click.option("--night", metavar="0-10", help="How you slept last night (0 terrible, 10 excellent).")
@click.option("--below-knee", is_flag=True, help="The leg pain or feeling goes below the knee.")
@click.option("--soreness", metavar="ANSWER", help=f"The day after a session, how it left you: {SORENESS_CHOICES}.")
@pass_context
@_user_errors
def checkin(obj: Context, back: str | None, leg: str | None, night: str | None, below_knee: bool, soreness: str | None) -> None:
    """Answer the morning check-in (one a day; a second one the same day replaces it).

    The soreness answer is about the last session before today and feeds the rules that
    rest or lighten spots; a feeling below the knee asks the red-flag screen again before
    the next session.
    """
    from selftrack.render.history import iso_local
    from selftrack.render.outcomes import checkin_summary

    missing = [name for name, value in (("--back", back), ("--leg", leg), ("--night", night)) if value is None]
    if missing:
        raise UserError(f"give {', '.join(missing)} (each 0-10)")
    values = {name: _scale(f"--{name}", text) for name, text in (("back", back), ("leg", leg), ("night", night))}
    if soreness is not None and soreness not in ("none", "mild", "sore-48h", "bruised"):
        raise UserError(f"--soreness is one of {SORENESS_CHOICES}, not {soreness!r}")
    tracker = obj.tracker
    saved = tracker.record_checkin(**values, below_knee=below_knee, soreness=soreness)
    tz = tracker.clock.tz
    click.echo(f"morning check-in saved: {checkin_summary(saved.checkin)}", err=True)
    if saved.replaced is not None:
        click.echo(
            f"it replaces today's earlier check-in ({iso_local(saved.replaced.answered_at, tz)}: "
            f"{checkin_summary(saved.replaced)})",
            err=True,
        )
    if below_knee and tracker.care_state().due == "below-knee":
        click.echo(
            "a feeling below the knee: the red-flag screen will be asked again before your next session",
            err=True,
        )


@cli.command()
@range_options
@json_option
@pass_context
@_user_errors
def checkins(obj: Context, since: str | None, until: str | None, as_json: bool) -> None:
    """List the morning check-ins, oldest first."""
    from selftrack.render.history import write_json_list
    from selftrack.render.outcomes import checkin_lines, checkin_record

    tracker = obj.tracker
    start, end = _period(obj, since, until)
    found = tracker.checkins(start, end)
    tz = tracker.clock.tz
    if as_json:
        write_json_list((checkin_record(c, tz) for c in found), sys.stdout)
        return
    if not found:
        click.echo("no check-ins in this period", err=True)
        return
    click.echo("\n".join(checkin_lines(found, tz)))


@cli.command()
@click.option("--peg", nargs=3, metavar="PAIN ENJOYMENT ACTIVITY", help="The PEG's three answers about the past week, 0-10 each.")
@click.option(
    "--activity",
    "activities",
    multiple=True,
    metavar="NAME=SCORE",
    help="A PSFS activity and how able you are to do it today (0 unable … 10 as before the "
    "problem); NAME may be its number (1-3). The first time, the names become your activities.",
)
@click.option("--new-activities", is_flag=True, help="The --activity names replace the activities rated until now.")
@click.option("--pgic", metavar="1-7", help="Your overall condition since you started: 1 very much improved … 4 no change … 7 very much worse.")
@json_option
@pass_context
@_user_errors
def weekly(obj: Context, peg, activities: tuple[str, ...], new_activities: bool, pgic: str | None, as_json: bool) -> None:
    """Answer the weekly function form: the PEG, your activities (PSFS), change since starting.

    Any part may be left out, not all. The same activities are rated every week until you
    name new ones with --new-activities.
    """
    from selftrack.render.outcomes import weekly_record, weekly_summary

    tracker = obj.tracker
    peg_values = None if not peg else tuple(_scale(f"--peg {what}", text) for what, text in zip(("pain", "enjoyment", "activity"), peg))
    pgic_value = None if pgic is None else _scale("--pgic", pgic, 1, 7)
    scores: dict[str, int] = {}
    for item in activities:
        name, sep, score = item.rpartition("=")
        if not sep or not name.strip():
            raise UserError(f"--activity is NAME=SCORE, not {item!r}")
        scores[name.strip()] = _scale(f"--activity {name.strip()}", score)
    current = [] if new_activities else tracker.psfs_activities()
    names = None
    if scores and (new_activities or not current):
        names = list(scores)
        if any(n.isdigit() for n in names):
            raise UserError("name the activities in words the first time (numbers refer to them later)")
    elif scores:
        numbered = {str(n): a.name for n, a in enumerate(current, 1)}
        scores = {numbered.get(name, name): value for name, value in scores.items()}
    form = tracker.record_weekly_form(peg=peg_values, psfs=scores or None, pgic=pgic_value, activities=names)
    if as_json:
        _print_json(weekly_record(form, tracker.clock.tz), indent=2)
        return
    click.echo(f"weekly form saved: {weekly_summary(form)}", err=True)


@cli.command()
@range_options
@json_option
@pass_context
@_user_errors
def forms(obj: Context, since: str | None, until: str | None, as_json: bool) -> None:
    """List the weekly function forms (PEG, PSFS, change since starting), oldest first."""
    from selftrack.render.history import write_json_list
    from selftrack.render.outcomes import weekly_lines, weekly_record

    tracker = obj.tracker
    start, end = _period(obj, since, until)
    found = tracker.weekly_forms(start, end)
    tz = tracker.clock.tz
    if as_json:
        write_json_list((weekly_record(f, tz) for f in found), sys.stdout)
        return
    if not found:
        click.echo("no weekly forms in this period", err=True)
        return
    click.echo("\n".join(weekly_lines(found, tz)))


@cli.command()
@range_options
@json_option
@pass_context
@_user_errors
def insights(obj: Context, since: str | None, until: str | None, as_json: bool) -> None:
    """What your own record says: back pain the next morning after days with a session
    against days without, overall, by routine and by tool.

    An observation about you, not proof: see the note printed with it.
    """
    from selftrack.render.outcomes import insights_lines, insights_record

    tracker = obj.tracker
    start, end = _period(obj, since, until)
    found = tracker.insights(start, end)
    if as_json:
        _print_json(insights_record(found), indent=2)
        return
    click.echo("\n".join(insights_lines(found)))


# -- export and import ----------------------------------------------------------------------

EXPORT_FORMATS = ("pdf", "xlsx", "csv", "json", "fhir", "fhir-ndjson")  # = selftrack.exports.FORMATS


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="pdf: a report for a clinician; xlsx: a workbook for spreadsheets; csv: one row per "
    "rating, for scripts; json: complete, re-importable; fhir: an R4 Bundle for clinic systems; "
    "fhir-ndjson: one FHIR resource per line, for years of data.",
)
@range_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (readable by you only). Without it text formats go to standard output; "
    "a PDF or an Excel workbook needs it.",
)
@click.option(
    "--name",
    default="",
    metavar="TEXT",
    help="Who the records are about: shown on the PDF and as the FHIR subject.",
)
@click.option("--force", is_flag=True, help="Replace FILE when it already exists.")
# -- format options (docs/export-formats.md) --
@click.option(
    "--bundle",
    metavar="TYPE",
    help="fhir: 'collection' (the default) or 'transaction' (conditional creates: POST it to a "
    "FHIR server; sending it twice creates nothing new).",
)
@click.option(
    "--patient",
    metavar="REF",
    default="",
    help="fhir, fhir-ndjson: the Patient the records are about, as Patient/ID or SYSTEM|VALUE "
    "(an identifier).",
)
@click.option("--excel", is_flag=True, help="csv: start with a byte-order mark for spreadsheets.")
@pass_context
@_user_errors
def export(
    obj: Context,
    fmt: str,
    since: str | None,
    until: str | None,
    output: Path | None,
    name: str,
    force: bool,
    bundle: str | None,
    patient: str,
    excel: bool,
) -> None:
    """Export sessions for a therapist: PDF, Excel, CSV, JSON or FHIR R4.

    Sessions that started between --from and --to are included (all of them by default).
    An existing FILE is never replaced without --force.
    """
    from selftrack.exports import ExportRequest

    if bundle is not None and fmt != "fhir":
        raise UserError("--bundle is for --format fhir only")
    if output is not None and not force and (output.exists() or output.is_symlink()):
        raise UserError(f"{output} already exists: choose another name, or add --force to replace it")
    if output is None and fmt in ("pdf", "xlsx"):
        raise UserError(f"{'a PDF' if fmt == 'pdf' else 'an Excel workbook'} needs a file: add -o FILE")
    obj.existing_database()
    tracker = obj.tracker
    request = ExportRequest(
        fmt,
        start=tracker.clock.parse_when(since) if since else None,
        end=tracker.clock.parse_when(until, end=True) if until else None,
        name=name,
        bundle="collection" if bundle is None else bundle,
        patient=patient,
        excel=excel,
    )
    progress = _progress_printer("export") if sys.stderr.isatty() else None
    if output is not None:
        result = tracker.export(request, output, progress=progress)
        _say(
            f"wrote {counted(result.sessions, 'session')} with {counted(result.ratings, 'rating')} "
            f"to {result.path}",
            err=True,
        )
    else:
        result = _export_to_stdout(tracker, request, progress)
    if fmt == "fhir":
        from selftrack.exports import LARGE_BUNDLE

        if result.resources > LARGE_BUNDLE:
            click.echo(
                f"selftrack: this Bundle holds {result.resources} resources (large: over "
                f"{LARGE_BUNDLE}); for years of data use --format fhir-ndjson (one resource per "
                "line, FHIR Bulk Data) or a shorter --from/--to",
                err=True,
            )


def _export_to_stdout(tracker, request, progress):
    import io
    import os

    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    target = _TerminalSafe(stream) if sys.stdout.isatty() else stream
    try:
        result = tracker.export(request, target, progress=progress)
        stream.flush()
        return result
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    finally:
        try:
            stream.detach()
        except ValueError:
            pass


class _TerminalSafe:
    """A text stream for a terminal: control characters in the data are shown, not obeyed.

    Redirected to a file or a pipe, an export keeps its exact bytes; on screen, an escape
    sequence hidden in a note must not rewrite the terminal.
    """

    def __init__(self, stream) -> None:
        from selftrack.domain.text import printable

        self._stream = stream
        self._printable = printable

    def write(self, text: str) -> int:
        self._stream.write(self._printable(text.replace("\r\n", "\n"), multiline=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    "into_profile",
    metavar="NAME",
    help="Import into this profile (created if new); the same as the global --profile.",
)
@pass_context
@_user_errors
def import_(obj: Context, file: Path, into_profile: str | None) -> None:
    """Add the sessions of a JSON export (`selftrack export --format json`) to this database.

    All or nothing: a file with a problem changes nothing. Sessions already present are
    skipped, so importing a file twice adds nothing.
    """
    if into_profile is not None:
        obj.use_profile(into_profile)
    progress = _progress_printer("import") if sys.stderr.isatty() else None
    result = obj.tracker.import_file(file, progress=progress)
    for conflict in result.conflicts:
        _say(f"warning: {conflict}", err=True)
    _say(
        f"imported {counted(result.added_sessions, 'session')} with {counted(result.added_ratings, 'rating')} "
        f"from {file}; {result.unchanged_sessions} already present"
        + (f", {len(result.conflicts)} in conflict (see above)" if result.conflicts else ""),
        err=True,
    )
    if result.added_checkins or result.added_forms or result.added_other:
        _say(
            f"and {counted(result.added_checkins, 'morning check-in')}, "
            f"{counted(result.added_forms, 'weekly form')} and "
            f"{counted(result.added_other, 'safety record')} (red-flag screens, conditions, soreness answers)",
            err=True,
        )


# -- sample data ----------------------------------------------------------------------------


@cli.command()
@click.option("--days", default=120, show_default=True, type=click.IntRange(1, 36500), help="How many days of history.")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed (same seed, same data: run twice, it adds nothing).")
@click.option("--force", is_flag=True, help="Write even into a database that holds real sessions.")
@pass_context
@_user_errors
def demo(obj: Context, days: int, seed: int, force: bool) -> None:
    """Write a realistic sample history, to try the program with months of data."""
    progress = _progress_printer("demo") if sys.stderr.isatty() else None
    result = obj.tracker.write_demo(days=days, seed=seed, force=force, progress=progress)
    kept = f" ({result.already_present} were there already)" if result.already_present else ""
    _say(
        f"wrote {counted(result.sessions, 'sample session')} with {counted(result.ratings, 'rating')} "
        f"over {counted(days, 'day')} into {obj.tracker.database.display}{kept}",
        err=True,
    )
    click.echo(f"and {result.checkins} morning check-ins and {result.forms} weekly forms", err=True)


def _progress_printer(label: str):
    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        click.echo(f"\r{label}: {done * 100 // max(total, 1):3d}%", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return show
