"""The machinery of synthetic data: ids handed out in advance, rows written in bulk,
randomness shared by every generator, a progress line.

Rows are written in bulk: COPY on PostgreSQL, `bulk_create` elsewhere. Ids are handed
out here (the table's highest id + 1), so rows can point at one another without a
round trip; the sequences are moved past them at the end. What is generated (a district
of communities and what happens in their buildings) is the apps' business: the root's
`buildings/synthetic/district.py` and each app's `<app>/synthetic/district.py`.
"""

import random
import sys
import time
from datetime import datetime, timedelta

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

COPY_BATCH = 50_000


class AlreadyGenerated(Exception):
    """The database already holds generated data."""


# --- Writing in bulk ----------------------------------------------------------------


class Sink:
    """Rows for one table: buffered, then COPYed (PostgreSQL) or bulk-created."""

    def __init__(self, district, model, fields: list[str]):
        self.district, self.model, self.fields = district, model, list(fields)
        meta = model._meta
        given = set(self.fields)
        self.columns = [meta.get_field(name).column for name in self.fields]
        self.constants = {}
        for f in meta.concrete_fields:
            if f.attname in given or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = district.now
            elif f.unique:
                raise ValueError(
                    f"{model.__name__}.{f.name} is unique: give it per row"
                )
            else:
                value = f.get_default()
            if value is None and not f.null:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            self.constants[f.attname] = value
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, *row) -> None:
        self.rows.append(row)
        if len(self.rows) >= COPY_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        if connection.vendor == "postgresql":
            self._copy(rows)
        else:
            objs = [
                self.model(**dict(zip(self.fields, row, strict=True)), **self.constants)
                for row in rows
            ]
            self.model.objects.bulk_create(objs, batch_size=500)

    def _copy(self, rows) -> None:
        quote = connection.ops.quote_name
        names = self.columns + [
            self.model._meta.get_field(name).column for name in self.constants
        ]
        extra = tuple(self.constants.values())
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(self.model._meta.db_table), ", ".join(quote(n) for n in names)
        )
        with connection.cursor() as cursor:
            with cursor.cursor.copy(sql) as copy:
                write = copy.write_row
                if extra:
                    for row in rows:
                        write(row + extra)
                else:
                    for row in rows:
                        write(row)


class Progress:
    """A textual progress bar on stderr, one line per stage."""

    WIDTH = 30

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.monotonic()
        self.stage = ""
        self.stage_started = self.started
        self.last = 0.0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_percent = -1

    def update(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if stage != self.stage:
            if self.stage and self.tty:
                self.stream.write("\n")
            self.stage, self.stage_started, self.last_percent = stage, now, -1
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        finished = done >= total
        if self.tty:
            if not finished and now - self.last < 0.2:
                return
        elif percent // 10 == self.last_percent // 10 and not finished:
            return  # not a terminal: a line every 10%
        self.last, self.last_percent = now, percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (
            f"{stage:<12} [{bar}] {percent:3d}% {done}/{total}"
            f"  {_clock(now - self.stage_started)} (total {_clock(now - self.started)})"
        )
        self.stream.write(
            ("\r" if self.tty else "") + line + ("" if self.tty else "\n")
        )
        self.stream.flush()

    def finish(self) -> None:
        if not self.quiet and self.stage and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


# --- The district -------------------------------------------------------------------


class Generation:
    """What every generator shares: the random source, the clock, ids and writers."""

    def __init__(
        self,
        *,
        seed: int = 2026,
        intensity: float = 1.0,
        progress: Progress | None = None,
        now: datetime | None = None,
    ):
        self.rng = random.Random(seed)
        self.intensity = intensity
        self.progress = progress or Progress(quiet=True)
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.start = self.now - timedelta(days=365)
        self._next_id: dict[type[models.Model], int] = {}
        self._sinks: list[Sink] = []
        self.counts: dict[str, int] = {}

    # Ids and writers

    def ids(self, model, n: int = 1) -> range:
        """Reserve n ids of a table."""
        if model not in self._next_id:
            top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        first = self._next_id[model]
        self._next_id[model] = first + n
        return range(first, first + n)

    def new_id(self, model) -> int:
        return self.ids(model, 1)[0]

    def sink(self, model, fields: list[str]) -> Sink:
        sink = Sink(self, model, fields)
        self._sinks.append(sink)
        return sink

    def flush(self) -> None:
        for sink in self._sinks:
            sink.flush()
        for sink in self._sinks:
            label = sink.model._meta.label
            self.counts[label] = self.counts.get(label, 0) + sink.count
            sink.count = 0
        self._sinks = []

    def reset_sequences(self) -> None:
        if connection.vendor != "postgresql" or not self._next_id:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self._next_id:
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                )

    # Randomness

    def amount(self, mean: float) -> int:
        """How many of something a building has in the year: around mean × intensity."""
        value = mean * self.intensity * self.rng.uniform(0.3, 1.7)
        whole = int(value)
        return whole + (1 if self.rng.random() < value - whole else 0)

    def moment(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> datetime:
        start = start or self.start
        end = end or self.now
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def daytime(
        self, day_start: datetime, hour_from: int = 8, hour_to: int = 21
    ) -> datetime:
        """A moment in the local daytime of the day that starts at day_start."""
        local = timezone.localtime(day_start).replace(hour=0, minute=0, second=0)
        return local + timedelta(
            hours=self.rng.randint(hour_from, hour_to - 1),
            minutes=self.rng.choice([0, 10, 15, 20, 30, 40, 45, 50]),
        )
