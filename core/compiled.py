"""ORM queries compiled to SQL once per process, then run with new values.

The parts of a cached page that belong to one person (core/pagecache.py) run a few
small queries on every request. Measured on PostgreSQL, Django spends about 1 ms
building and compiling such a query and the database 0.2 ms running it. A `Compiled`
query is written with the ORM as usual, as a function of its values:

    waiting = Compiled(lambda building_id, now: Poll.objects.filter(...))
    waiting.count(building_id=7, now=timezone.now())

The first call builds the queryset twice, with two sets of stand-in values, and compiles
both: where the SQL parameters differ, they are this function's values; everywhere
else they must be equal. A query that depends on anything but its values (the clock, a
setting, the language) therefore fails on its first run, in the tests, instead of being
frozen. Later calls send the same SQL with the new values and turn the rows into what
the ORM would have returned (values converted by the fields, model instances with their
`select_related` rows and annotations).

Values may be integers, strings and aware datetimes; a value is compared by what the
database is sent, so a function must pass its values to the ORM unchanged (a string
built from a value, like f"h:{pk}", must be a value of its own).
"""

import inspect
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, connections
from django.db.models.query import ValuesIterable, get_related_populators


def _stand_in(kind, round_: int, index: int):
    if kind is int:
        return -(10**12) - 1000 * round_ - index
    if kind is str:
        return f"\x01compiled-{round_}-{index}\x01"
    if kind is datetime:
        return datetime(2001 + round_, 1, 1, tzinfo=UTC) + timedelta(seconds=index)
    raise ImproperlyConfigured(
        f"Compiled queries take int, str or datetime, not {kind}"
    )


class _Plan:
    """One query's SQL, where each parameter comes from, and how to read its rows."""

    def __init__(self, queryset, compiler, sql, sources):
        self.queryset = queryset
        self.compiler = compiler  # compiled: knows the columns
        self.sql = sql
        self.sources = sources  # per parameter: (True, value name) or (False, constant)
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(columns)


def _position(value, stand_ins: dict):
    try:
        return stand_ins.get(value)
    except TypeError:  # an unhashable constant
        return None


class Compiled:
    def __init__(self, build):
        self.build = build
        self.names = list(inspect.signature(build).parameters)
        self._plans = {}

    @staticmethod
    def _adapt(connection, value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _plan(self, shape: str, values: dict) -> _Plan:
        kinds = tuple(
            datetime if isinstance(values[name], datetime) else type(values[name])
            for name in self.names
        )
        plan = self._plans.get((shape, kinds))
        if plan is None:
            plan = self._plans[(shape, kinds)] = self._compile(shape, kinds)
        return plan

    def _compile(self, shape: str, kinds: tuple) -> _Plan:
        compiled = []
        for round_ in (0, 1):
            stand_ins = {
                name: _stand_in(kind, round_, index)
                for index, (name, kind) in enumerate(
                    zip(self.names, kinds, strict=True)
                )
            }
            queryset = self._shaped(shape, self.build(**stand_ins))
            connection = connections[queryset.db]
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            adapted = {
                self._adapt(connection, value): name
                for name, value in stand_ins.items()
            }
            compiled.append((queryset, compiler, sql, list(params), adapted))
        (queryset, compiler, sql, first, names_0), second_round = compiled
        _queryset, _compiler, sql_1, second, names_1 = second_round
        if len(first) != len(second):
            raise ImproperlyConfigured("A compiled query's SQL depends on its values.")
        sources = []
        for a, b in zip(first, second, strict=True):
            name = _position(a, names_0)
            if name is not None and name == _position(b, names_1):
                sources.append((True, name))
            elif name is None and a == b:
                sources.append((False, a))
            else:
                raise ImproperlyConfigured(
                    f"A compiled query depends on something besides its values: {a!r}."
                )
        if sql != sql_1:
            raise ImproperlyConfigured("A compiled query's SQL depends on its values.")
        if shape == "count":
            sql = f"SELECT COUNT(*) FROM ({sql}) compiled"
        return _Plan(queryset, compiler, sql, sources)

    @staticmethod
    def _shaped(shape, queryset):
        if shape == "count":
            return queryset.order_by().values("pk")
        if shape == "exists":
            return queryset.order_by().values("pk")[:1]
        if shape == "first":
            return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
        return queryset

    def _rows(self, shape: str, values: dict):
        if set(values) != set(self.names):
            raise TypeError(
                f"A compiled query takes exactly {', '.join(self.names)}; "
                f"given {', '.join(sorted(values))}"
            )
        plan = self._plan(shape, values)
        connection = connections[plan.queryset.db]
        params = [
            self._adapt(connection, values[source]) if is_value else source
            for is_value, source in plan.sources
        ]
        # With CONN_HEALTH_CHECKS, Django checks a kept connection with "SELECT 1"
        # before the first query of each request: a round trip as long as the query.
        # A read outside a transaction is its own check: if the connection turns out
        # to be dead, it is closed and the read is sent again on a new one.
        own_check = (
            connection.connection is not None
            and connection.health_check_enabled
            and not connection.health_check_done
            and not connection.in_atomic_block
        )
        if own_check:
            connection.health_check_done = True
        try:
            return plan, self._fetch(connection, plan.sql, params)
        except (InterfaceError, OperationalError):
            if not own_check:
                raise
            connection.close()
            return plan, self._fetch(connection, plan.sql, params)

    @staticmethod
    def _fetch(connection, sql, params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # --- What a call returns ------------------------------------------------------------

    def count(self, **values) -> int:
        _plan, rows = self._rows("count", values)
        return rows[0][0]

    def exists(self, **values) -> bool:
        _plan, rows = self._rows("exists", values)
        return bool(rows)

    def all(self, **values) -> list:
        """What iterating the queryset gives: model instances, or dicts for values()."""
        plan, rows = self._rows("all", values)
        return self._objects(plan, rows)

    def first(self, **values):
        plan, rows = self._rows("first", values)
        objects = self._objects(plan, rows)
        return objects[0] if objects else None

    def _objects(self, plan: _Plan, rows: list) -> list:
        compiler, query = plan.compiler, plan.queryset.query
        if not rows:
            return []
        converted = rows
        if plan.converters:
            connection = connections[plan.queryset.db]
            converted = []
            for row in map(list, rows):
                for position, (functions, expression) in plan.converters.items():
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
        if plan.queryset._iterable_class is ValuesIterable:
            names = list(query.selected or ()) or [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
            return [dict(zip(names, row, strict=False)) for row in converted]
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, plan.queryset.db)
        objects = []
        for row in converted:
            obj = plan.queryset.model.from_db(
                plan.queryset.db, init_list, row[start:end]
            )
            for populator in populators:
                populator.populate(row, obj)
            for attr, position in compiler.annotation_col_map.items():
                setattr(obj, attr, row[position])
            objects.append(obj)
        return objects
