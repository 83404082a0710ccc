"""#12.1 reproduced: a long registry import runs while other users write. No write may fail, and
the writes' waits are measured against the import's phases.

The import (a generated 企业名录 sheet) runs in another process through `import_file`, as the huey
worker runs it; two threads of the test write through the services, as the office and a park
operator do from their pages (record a figure, grant an honour), timing each write, until the import
has finished. On SQLite both use a file copy of the test database with the production connection
options (WAL, `BEGIN IMMEDIATE`, busy timeout), because the in-memory test database locks differently.

What is asserted: no write fails on either database; on PostgreSQL no write waits more than 1 s;
on SQLite, while the file is read and checked (outside any transaction) no write waits more than
1 s, and during the save — one transaction, so readers see all rows or none — a write waits at most
for that transaction (docs/architecture.md, "Imports and other users' writes").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.db import connection, connections
from tests.enterprises.factories import EnterpriseFactory, build_world, make_credit_code

from bioplan.enterprises import services
from bioplan.enterprises.models import Enterprise

ROWS = 6000
REPO = Path(__file__).resolve().parents[2]
WRITE_LIMIT = 1.0  # seconds


def _sheet(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("企业名录")
    sheet.write_row(0, 0, ["统一社会信用代码", "企业名称", "所在园区", "主营领域", "是否规上"])
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, [make_credit_code(900_000 + r), f"并发测试企业{r}", "", "中药", "否"])
    book.close()


def _on_file_copy(tmp_path: Path) -> Any:
    """Point new threads' SQLite connections at a file copy of the in-memory test database."""
    target = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    settings = connections.settings["default"]
    original = settings["NAME"]
    settings["NAME"] = str(target)
    return original


IMPORT = """
import json, sys, time
import django
django.setup()
from bioplan.core.models import Region, User
from bioplan.sheets import import_file, sheet_spec
phases = {"read": time.time()}
outcome = import_file(
    sheet_spec("enterprises"), sys.argv[1], region=Region.objects.get(pk=int(sys.argv[2])),
    user=User.objects.get(pk=int(sys.argv[3])), progress=lambda d, t, p: phases.setdefault(p, time.time()),
)
print(json.dumps({"phases": phases, "done": time.time(), "created": outcome.created,
                  "problems": [str(p) for p in outcome.problems[:5]]}))
"""


def _database_url(path: Path | None) -> str:
    db = connection.settings_dict
    if path is not None:
        return f"sqlite:///{path}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_other_users_write_while_a_long_import_runs(tmp_path: Path) -> None:
    world = build_world()
    targets = [EnterpriseFactory(district=world.district, park=world.park_a) for _ in range(2)]
    path = tmp_path / "企业名录.xlsx"
    _sheet(path, ROWS)
    sqlite = connection.vendor == "sqlite"
    original = _on_file_copy(tmp_path) if sqlite else None
    env = {**os.environ, "DATABASE_URL": _database_url(tmp_path / "concurrency.sqlite3" if sqlite else None)}
    env["PYTHONPATH"] = str(REPO / "src")
    env["DJANGO_SETTINGS_MODULE"] = "bioplan.settings_test"
    writes: list[tuple[float, float]] = []  # (start, seconds), wall clock shared with the importer
    errors: list[str] = []
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(path), str(world.district.pk), str(world.office.pk)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def write(n: int) -> None:
        year = 2000 + n
        try:
            while importer.poll() is None:
                start = time.time()
                try:
                    enterprise = Enterprise.objects.get(pk=targets[n].pk)
                    services.figure_record(
                        enterprise=enterprise,
                        year=2000 + year % 100,
                        source="statistics",
                        revenue=Decimal(year),
                        user=world.office,
                    )
                    services.honour_grant(
                        enterprise=enterprise,
                        kind="gazelle",
                        valid_from=dt.date(2000, 1, 1) + dt.timedelta(days=year),
                        user=world.operator if n else world.office,
                    )
                except Exception as exc:
                    errors.append(f"writer {n}: {exc!r}")
                writes.append((start, time.time() - start))
                year += 2
                time.sleep(0.05)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in (0, 1)]
    try:
        for t in threads:
            t.start()
        out, err = importer.communicate(timeout=600)
        for t in threads:
            t.join(timeout=60)
    finally:
        if sqlite:
            connections.settings["default"]["NAME"] = original
    assert importer.returncode == 0, err[-2000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["problems"] == [] and result["created"] == ROWS
    assert errors == []
    assert len(writes) >= 4
    phases, done = result["phases"], result["done"]
    save_began = phases.get("save", done)
    checking = [s for start, s in writes if start + s < save_began]
    during_save = [s for start, s in writes if start + s >= save_began]
    print(
        f"\n{connection.vendor}: {len(writes)} writes; import {done - phases['read']:.2f} s, of which saving "
        f"{done - save_began:.2f} s; longest write while reading/checking {max(checking, default=0):.2f} s, "
        f"while saving {max(during_save, default=0):.2f} s"
    )
    assert max(checking, default=0) < WRITE_LIMIT
    if sqlite:  # one writer at a time: a write waits at most for the import's one saving transaction
        assert max(during_save, default=0) < (done - save_began) + WRITE_LIMIT
    else:
        assert max(during_save, default=0) < WRITE_LIMIT
