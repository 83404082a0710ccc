"""Bulk inserts of validated rows with their django-simple-history '+' rows: COPY on PostgreSQL,
executemany on SQLite. Hand-written because `bulk_create_with_history` goes through the ORM's
per-value compiler, 10× slower for 50,000 rows (bench/README.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import models


def chunks(items: list[Any], size: int = 2000) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ------------------------------------------------------------------------------------ fast insert
def _column_converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """A cheap value → database value function for the field types the registries use."""
    import json

    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return lambda v: connection.ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: connection.ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        return lambda v: connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return lambda v: v


def _allocate_ids(model: type[models.Model], count: int, connection: Any) -> list[int]:
    """`count` new primary keys: the sequence on PostgreSQL, max(id)+1… on SQLite (whose IMMEDIATE
    transaction already holds the write lock, so no one else can take them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def fast_create_with_history(
    model: type[models.Model], objs: list[Any], *, user: Any, reason: str, batch_size: int = 5000
) -> None:
    """Insert new rows and their '+' history rows with COPY (PostgreSQL) or executemany (SQLite),
    bypassing the ORM's per-value compiler (10× faster for 50,000 rows). Objects get their primary key; auto_now(_add) fields are
    set to one timestamp. Must run inside a transaction; the caller has validated the rows."""
    from django.db import connection
    from django.utils import timezone

    if not objs:
        return
    now = timezone.now()
    ids = _allocate_ids(model, len(objs), connection)
    fields = model._meta.concrete_fields
    for obj, pk in zip(objs, ids, strict=True):
        obj._prepare_related_fields_for_save(
            operation_name="fast_create_with_history"
        )  # FK ids of saved objects
        obj.pk = pk
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = connection.alias
    converters = [(f.attname, _column_converter(f, connection)) for f in fields]
    rows = [[convert(getattr(obj, attname)) for attname, convert in converters] for obj in objs]
    history_model = model.history.model  # type: ignore[attr-defined]
    extra = {
        "history_date": connection.ops.adapt_datetimefield_value(now),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    positions = {attname: i for i, (attname, _) in enumerate(converters)}
    history_columns = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    history_rows = [
        [row[positions[f.attname]] if f.attname in positions else extra[f.attname] for f in history_columns]
        for row in rows
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns, values in (
            (model._meta.db_table, [f.column for f in fields], rows),
            (history_model._meta.db_table, [f.column for f in history_columns], history_rows),
        ):
            names = ", ".join(quote(c) for c in columns)
            if connection.vendor == "postgresql":
                # COPY: one stream instead of a round trip per row (psycopg's executemany).
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
                continue
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for chunk in chunks(values, batch_size):
                cursor.executemany(sql, chunk)
