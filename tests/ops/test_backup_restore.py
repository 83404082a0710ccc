"""bioplan.ops: backup, wipe or change, restore, and every row and file is back as it was."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from tests.factories import PlanFactory
from tests.ops.conftest import media_snapshot, snapshot

from bioplan.cli import main
from bioplan.core.models import Region
from bioplan.ops.services import BackupError, backup_restore, backup_write
from bioplan.plans.models import Plan, Target

pytestmark = pytest.mark.django_db


def _vandalise(media_root: Path) -> None:
    """Change, add and delete rows and files, so a restore has something to undo."""
    Target.objects.update(value=0, quote="改过")
    PlanFactory(title="备份之后新建的方案")
    Region.objects.filter(name="示范区").update(code="999999")
    Plan.objects.filter(version=1).update(source_file="vandalised.json")
    (media_root / "logo.bin").unlink()
    (media_root / "after-backup.txt").write_text("new", encoding="utf-8")


@pytest.mark.parametrize("name", ["site.zip", "site.tar.gz", "site.tgz"])
def test_round_trip_restores_every_row_and_file(populated, media_root, tmp_path, name):
    before, files_before = snapshot(), media_snapshot(media_root)
    archive = tmp_path / name

    call_command("backup", str(archive), stdout=io.StringIO())
    _vandalise(media_root)
    assert snapshot() != before
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:  # per model, so a failure names the table
        assert after[label] == before[label], label
    assert media_snapshot(media_root) == files_before
    assert "restored:" in out.getvalue()


def test_manifest_lists_version_counts_migrations_and_media(populated, media_root, tmp_path):
    archive = tmp_path / "site.zip"
    summary = backup_write(path=archive)

    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        lines = zf.read("data.jsonl").decode().splitlines()
    assert manifest["format"] == "bioplan-backup" and manifest["format_version"] == 1
    assert manifest["bioplan_version"] and manifest["django_version"].startswith("5.2")
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"]["plans.plan"] == 2 == Plan.objects.count()
    assert manifest["counts"]["plans.historicalplan"] >= 2
    assert manifest["counts"]["core.user_groups"] == 1
    assert "0001_initial" in manifest["migrations"]["plans"]
    assert manifest["media_files"] == 2 == summary.media_files
    assert {"manifest.json", "data.jsonl", "media/logo.bin", "media/imports/2026/方案.txt"} <= names
    assert len(lines) == sum(
        v for k, v in manifest["counts"].items() if not k.endswith(("_groups", "_permissions"))
    )
    assert all(json.loads(line)["model"] for line in lines)  # natural-key-free: every row has its pk
    assert all("pk" in json.loads(line) for line in lines)


def test_datetimes_keep_microseconds(populated, tmp_path):
    plan = Plan.objects.first()
    assert plan is not None
    stamp = plan.created_at.replace(microsecond=123456)
    Plan.objects.filter(pk=plan.pk).update(created_at=stamp)
    archive = tmp_path / "site.zip"
    backup_write(path=archive)
    Plan.objects.filter(pk=plan.pk).update(created_at=stamp.replace(microsecond=0))

    backup_restore(path=archive)

    assert Plan.objects.get(pk=plan.pk).created_at == stamp


def test_restore_without_yes_refuses_and_changes_nothing(populated, tmp_path):
    archive = tmp_path / "site.zip"
    backup_write(path=archive)
    Target.objects.update(quote="改过")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert set(Target.objects.values_list("quote", flat=True)) == {"改过"}


def test_backup_refuses_to_overwrite_unless_asked(populated, tmp_path):
    archive = tmp_path / "site.zip"
    archive.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"keep me"
    call_command("backup", str(archive), overwrite=True, stdout=io.StringIO())
    assert zipfile.is_zipfile(archive)


def test_unknown_archive_suffix_is_refused(tmp_path):
    with pytest.raises(BackupError, match=r"\.zip, \.tar\.gz or \.tgz"):
        backup_write(path=tmp_path / "site.rar")


def _rewrite_zip(source: Path, target: Path, **replace: bytes) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data)


def test_migration_state_mismatch_is_refused(populated, tmp_path):
    good = tmp_path / "good.zip"
    backup_write(path=good)
    manifest = json.loads(zipfile.ZipFile(good).read("manifest.json"))
    manifest["migrations"]["plans"].append("0099_from_the_future")
    bad = tmp_path / "future.zip"
    _rewrite_zip(good, bad, **{"manifest.json": json.dumps(manifest).encode()})

    with pytest.raises(CommandError, match=r"migration state.*plans\.0099_from_the_future"):
        call_command("restore", str(bad), yes=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["truncated-data", "edited-row", "broken-zip", "missing-row-target"])
def test_broken_archive_leaves_database_and_media_as_they_were(populated, media_root, tmp_path, damage):
    good = tmp_path / "good.zip"
    backup_write(path=good)
    _vandalise(media_root)
    before, files_before = snapshot(), media_snapshot(media_root)
    data = zipfile.ZipFile(good).read("data.jsonl")
    lines = data.decode().splitlines(keepends=True)
    bad = tmp_path / "bad.zip"
    if damage == "truncated-data":  # the tail is lost: the checksum (and counts) fail at the end
        _rewrite_zip(good, bad, **{"data.jsonl": "".join(lines[: len(lines) // 2]).encode()})
    elif damage == "edited-row":  # same row count, one value changed: only the checksum notices
        plan_line = next(i for i, line in enumerate(lines) if '"model": "plans.plan"' in line)
        lines[plan_line] = lines[plan_line].replace('"version": 1', '"version": 7')
        _rewrite_zip(good, bad, **{"data.jsonl": "".join(lines).encode()})
    elif damage == "broken-zip":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:  # a row points at a plan that is not in the archive: the foreign-key check fails
        row = json.loads(next(line for line in lines if '"model": "plans.target"' in line))
        row["pk"], row["fields"]["plan"] = 999_999, 888_888
        _rewrite_zip(good, bad, **{"data.jsonl": data + (json.dumps(row) + "\n").encode()})

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(bad), yes=True)

    assert snapshot() == before
    assert media_snapshot(media_root) == files_before
    assert not [p for p in media_root.iterdir() if p.name.startswith(".bioplan-")]


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_truncated_tar_gz_is_reported_as_damaged(populated, tmp_path, cut):
    good = tmp_path / "good.tar.gz"
    backup_write(path=good)
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(good.read_bytes()[: int(good.stat().st_size * cut)])
    before = snapshot()

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(bad), yes=True)
    assert snapshot() == before


@pytest.mark.parametrize("member", ["media/../../escape.txt", "/etc/bioplan.txt", "media/a/../../b.txt"])
def test_member_names_escaping_media_root_are_refused(populated, media_root, tmp_path, member):
    good = tmp_path / "good.zip"
    backup_write(path=good)
    bad = tmp_path / "bad.zip"
    _rewrite_zip(good, bad, **{member: b"owned"})

    with pytest.raises(CommandError, match="refusing"):
        call_command("restore", str(bad), yes=True)
    assert not (tmp_path / "escape.txt").exists()


def test_tar_links_are_refused(populated, media_root, tmp_path):
    good = tmp_path / "good.tar.gz"
    backup_write(path=good)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good) as tin, tarfile.open(bad, "w:gz") as tout:
        for member in tin.getmembers():
            tout.addfile(member, tin.extractfile(member))
        link = tarfile.TarInfo("media/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tout.addfile(link)

    with pytest.raises(CommandError, match="link or device"):
        call_command("restore", str(bad), yes=True)


def test_sequences_continue_after_the_restored_rows(populated, tmp_path):
    archive = tmp_path / "site.zip"
    backup_write(path=archive)
    if connection.vendor == "postgresql":  # make the sequence lag behind, as on a fresh database
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('plans_plan', 'id'), 1, false)")

    backup_restore(path=archive)
    top = max(Plan.objects.values_list("pk", flat=True))
    new = PlanFactory()

    assert new.pk > top


def test_cli_verbs_backup_and_restore(populated, media_root, tmp_path, capsys):
    archive = tmp_path / "cli.tar.gz"
    assert main(["backup", str(archive)]) == 0
    assert "backup written:" in capsys.readouterr().out
    Target.objects.update(quote="改过")

    assert main(["restore", str(archive)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main(["restore", str(archive), "--yes"]) == 0
    assert "改过" not in set(Target.objects.values_list("quote", flat=True))
