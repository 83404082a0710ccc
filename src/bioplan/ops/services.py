"""Whole-site backup and restore: every model's rows and the uploaded files, in one archive.

An archive (``.zip``, ``.tar.gz`` or ``.tgz``) holds

* ``manifest.json`` — format and version, bioplan and Django versions, creation time (UTC), the
  source database vendor, rows per model, the applied migrations, size and SHA-256 of
  ``data.jsonl``, and the number of media files;
* ``data.jsonl`` — Django's JSON Lines serialisation of every row of every installed model
  (primary keys as stored, no natural keys), model by model, rows in primary-key order; datetimes
  keep their microseconds;
* ``media/…`` — the files under ``MEDIA_ROOT``.

`backup_write` reads one consistent snapshot and streams rows to disk, never holding a table in
memory. `backup_restore` replaces every row of the target database in one transaction: it refuses an
archive whose migrations differ from the database's, and any failure (a truncated archive, a wrong
checksum, a row that breaks a constraint, counts that do not match the manifest) rolls the database
back to what it was. Before it writes anything it reads every row and checks each value fits the
columns on every database (`core.validation`: no NUL or other control characters in text, integers
within PostgreSQL's ranges, texts within their length, decimals within their digits — SQLite stores
any of these, PostgreSQL refuses them), naming the rows that do not. Uploaded files are unpacked
beside ``MEDIA_ROOT`` first and swapped in only after the database commit. Archives made on SQLite
restore onto PostgreSQL and the other way round.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import DecimalValidator, MaxLengthValidator
from django.db import DatabaseError, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder

from bioplan.core.validation import field_errors

FORMAT = "bioplan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
_STAGING_PREFIX = ".bioplan-restore-"
_OLD_PREFIX = ".bioplan-replaced-"
_BATCH = 500


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds: rows per model (``app_label.model``), media files, manifest."""

    path: Path
    counts: dict[str, int]
    media_files: int
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


# ---------------------------------------------------------------------------------- backup
def backup_write(*, path: Path, database: str = "default", overwrite: bool = False) -> BackupSummary:
    """Write the database's rows and MEDIA_ROOT's files to ``path`` (.zip, .tar.gz or .tgz).

    The archive is written beside ``path`` under a temporary name and renamed into place when
    complete, so a crash never leaves a half-written archive under the final name.
    """
    path = Path(path)
    kind = archive_kind(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose another name or pass --overwrite")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    media_root = Path(settings.MEDIA_ROOT)
    media = list(_media_files(media_root))
    with tempfile.TemporaryDirectory(prefix="bioplan-backup-") as tmp:
        data_path = Path(tmp) / DATA
        with data_path.open("w", encoding="utf-8", newline="\n") as stream:
            counts, migrations = _dump(database, stream)
        size, digest = _file_digest(data_path)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "bioplan_version": _bioplan_version(),
            "django_version": django.get_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database_vendor": connections[database].vendor,
            "counts": counts,
            "migrations": migrations,
            "data": {"name": DATA, "bytes": size, "sha256": digest},
            "media_files": len(media),
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            _write_archive(part, kind, manifest_bytes, data_path, media, media_root)
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
    return BackupSummary(path=path, counts=counts, media_files=len(media), manifest=manifest)


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class _Counted:
    """Iterates a queryset and counts the rows handed out."""

    def __init__(self, rows: Iterable[models.Model]) -> None:
        self.rows = rows
        self.n = 0

    def __iter__(self) -> Iterator[models.Model]:
        for row in self.rows:
            self.n += 1
            yield row


def _dump(database: str, stream: IO[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Serialise every row of every model to ``stream``; returns (rows per model, migrations)."""
    connection = connections[database]
    serializer = serializers.get_serializer("jsonl")()
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=database):
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, so rows never point at rows written after them.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        migrations = applied_migrations(database)
        for model in dumped_models(database):
            rows = _Counted(
                model._base_manager.using(database).order_by(model._meta.pk.name).iterator(chunk_size=2000)  # type: ignore[union-attr]
            )
            serializer.serialize(
                rows,
                stream=stream,
                use_natural_foreign_keys=False,
                use_natural_primary_keys=False,
                cls=_FullPrecisionEncoder,
            )
            counts[model._meta.label_lower] = rows.n
            for through in _auto_through_models(model):
                counts[through._meta.label_lower] = through._base_manager.using(database).count()
    return counts, migrations


def dumped_models(database: str = "default") -> list[type[models.Model]]:
    """Every concrete, managed model the database holds, in INSTALLED_APPS order."""
    out: list[type[models.Model]] = []
    for app_config in apps.get_app_configs():
        for model in app_config.get_models():  # auto-created m2m tables travel with their model
            meta = model._meta
            if meta.proxy or not meta.managed or not router.allow_migrate_model(database, model):
                continue
            out.append(model)
    return out


def _auto_through_models(model: type[models.Model]) -> list[type[models.Model]]:
    return [
        field.remote_field.through  # type: ignore[misc]
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    ]


def applied_migrations(database: str = "default") -> dict[str, list[str]]:
    """Applied migrations of the database, ``{app_label: [name, …]}``, sorted."""
    recorder = MigrationRecorder(connections[database])
    if not recorder.has_table():
        return {}
    by_app: dict[str, list[str]] = defaultdict(list)
    for app_label, name in recorder.applied_migrations():
        by_app[app_label].append(name)
    return {app_label: sorted(names) for app_label, names in sorted(by_app.items())}


def _media_files(media_root: Path) -> Iterator[Path]:
    if not media_root.is_dir():
        return
    for root, dirs, files in os.walk(media_root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((_STAGING_PREFIX, _OLD_PREFIX)))
        for name in sorted(files):
            file = Path(root) / name
            if file.is_file() and not file.is_symlink():
                yield file


def _write_archive(
    target: Path, kind: str, manifest: bytes, data_path: Path, media: list[Path], media_root: Path
) -> None:
    names = [(MEDIA_PREFIX + f.relative_to(media_root).as_posix(), f) for f in media]
    if kind == "zip":
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.writestr(MANIFEST, manifest)
            zf.write(data_path, DATA)
            for arcname, file in names:
                zf.write(file, arcname)
        return
    with tarfile.open(target, "w:gz") as tf:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(manifest)
        info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
        info.mode = 0o644
        tf.addfile(info, io.BytesIO(manifest))
        tf.add(data_path, DATA, recursive=False)
        for arcname, file in names:
            tf.add(file, arcname, recursive=False)


# --------------------------------------------------------------------------------- restore
def backup_restore(*, path: Path, database: str = "default") -> BackupSummary:
    """Replace every row of ``database`` and every file under MEDIA_ROOT with the archive's.

    Raises BackupError (and leaves the database and MEDIA_ROOT as they were) when the archive is
    unreadable, was made at another migration state, fails its checksum, or loads inconsistently.
    """
    path = Path(path)
    kind = archive_kind(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        with _ArchiveReader(path, kind) as archive:
            manifest = _read_manifest(archive)
            _check_migrations(manifest, database)
            _check_values(archive, database)  # before anything is written
            media_root.mkdir(parents=True, exist_ok=True)
            staging = media_root / f"{_STAGING_PREFIX}{uuid.uuid4().hex[:8]}"
            staging.mkdir()
            try:
                media_files = archive.extract_media(staging)
                if media_files != manifest.get("media_files"):
                    raise BackupError(
                        f"the archive holds {media_files} media files, its manifest says "
                        f"{manifest.get('media_files')}"
                    )
                with transaction.atomic(using=database):
                    counts = _load(archive, manifest, database)
                _swap_media(staging, media_root)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (EOFError, zipfile.BadZipFile, tarfile.TarError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path}: damaged or unreadable archive ({exc})") from exc
    except OSError as exc:
        raise BackupError(f"cannot read {path} or write {media_root} ({exc})") from exc
    except DatabaseError as exc:
        raise BackupError(f"the archive's rows could not be loaded, nothing was changed ({exc})") from exc
    finally:
        ContentType.objects.clear_cache()
    return BackupSummary(path=path, counts=counts, media_files=media_files, manifest=manifest)


def _read_manifest(archive: _ArchiveReader) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read_bytes(MANIFEST).decode("utf-8"))
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"not a bioplan backup: {MANIFEST} is missing or unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"not a bioplan backup: {MANIFEST} does not say format {FORMAT!r}")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"archive format version {manifest.get('format_version')!r} is newer than this bioplan "
            f"reads ({FORMAT_VERSION}); restore with the bioplan version that made it"
        )
    for key, kind in (("counts", dict), ("migrations", dict), ("data", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{MANIFEST}: {key!r} is missing")
    return manifest


def _check_migrations(manifest: dict[str, Any], database: str) -> None:
    here = applied_migrations(database)
    there = {app: sorted(names) for app, names in manifest["migrations"].items()}
    if here == there:
        return
    if not here:
        raise BackupError("the database has no tables yet; run `bioplan manage migrate` first")
    mine = {(a, n) for a, names in here.items() for n in names}
    theirs = {(a, n) for a, names in there.items() for n in names}
    missing = ", ".join(f"{a}.{n}" for a, n in sorted(theirs - mine)) or "none"
    extra = ", ".join(f"{a}.{n}" for a, n in sorted(mine - theirs)) or "none"
    raise BackupError(
        "the archive was made at another migration state "
        f"(in the archive only: {missing}; in this database only: {extra}); "
        "restore it with the bioplan version that made it, or migrate this database to match"
    )


_MAX_NAMED = 20  # bad values named in the message; the rest are counted


def _check_values(archive: _ArchiveReader, database: str) -> None:
    """Refuse (BackupError naming line, model, id and field) an archive holding values a column of
    this or any other supported database would not take."""
    models_by_label: dict[str, type[models.Model]] = {}
    for model in dumped_models(database):
        models_by_label[model._meta.label_lower] = model
        for through in _auto_through_models(model):
            models_by_label[through._meta.label_lower] = through
    problems: list[str] = []
    with archive.open(DATA) as raw:
        for number, line in enumerate(raw, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                model = models_by_label[row["model"]]
                fields = row["fields"]
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
                continue  # the load reports it with its own message
            for name, value in fields.items():
                for problem in _value_problems(model, name, value):
                    problems.append(
                        f"{DATA} line {number}: {row['model']} #{row.get('pk')} {name}: {problem}"
                    )
    if problems:
        shown = "; ".join(problems[:_MAX_NAMED])
        more = f" (and {len(problems) - _MAX_NAMED} more)" if len(problems) > _MAX_NAMED else ""
        raise BackupError(f"{len(problems)} value(s) would not fit the database: {shown}{more}")


def _value_problems(model: type[models.Model], name: str, value: Any) -> list[str]:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return []
    if value is None or not isinstance(field, models.Field) or field.is_relation:
        return []
    if isinstance(field, models.JSONField):
        return ["含 NUL 字符（PostgreSQL 不接受）"] if "\\u0000" in json.dumps(value) else []
    try:
        python = field.to_python(value)
    except ValidationError as exc:
        return exc.messages
    problems = [m for exc in field_errors(field, python) for m in exc.messages]
    for validator in field.validators:
        if isinstance(validator, (MaxLengthValidator, DecimalValidator)):  # what a column enforces
            try:
                validator(python)
            except ValidationError as exc:
                problems += exc.messages
    return problems


def _load(archive: _ArchiveReader, manifest: dict[str, Any], database: str) -> dict[str, int]:
    """Inside the caller's transaction: wipe every table, load data.jsonl, verify, reset sequences."""
    connection = connections[database]
    model_list = dumped_models(database)
    known = {m._meta.label_lower: m for m in model_list}
    for model in model_list:
        for through in _auto_through_models(model):
            known[through._meta.label_lower] = through
    unknown = sorted(set(manifest["counts"]) - set(known))
    if unknown:
        raise BackupError(f"the archive holds models this bioplan does not know: {', '.join(unknown)}")

    with connection.cursor() as cursor:
        # Foreign keys are deferred (Django creates them DEFERRABLE INITIALLY DEFERRED on both
        # backends), so the order of deletes and inserts does not matter until the checks below.
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")

    digest = hashlib.sha256()
    size = 0

    def lines() -> Iterator[dict[str, Any]]:
        nonlocal size
        with archive.open(DATA) as raw:
            for number, line in enumerate(raw, start=1):
                digest.update(line)
                size += len(line)
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise BackupError(f"{DATA} line {number} is not JSON ({exc})") from exc

    batch: list[DeserializedObject] = []
    try:
        for item in serializers.deserialize("python", lines(), using=database, ignorenonexistent=False):
            if batch and type(item.object) is not type(batch[0].object):
                _insert(batch, database)
                batch = []
            batch.append(item)
            if len(batch) >= _BATCH:
                _insert(batch, database)
                batch = []
        if batch:
            _insert(batch, database)
    except DeserializationError as exc:
        raise BackupError(f"{DATA}: {exc}") from exc

    expected = manifest["data"]
    if size != expected.get("bytes") or digest.hexdigest() != expected.get("sha256"):
        raise BackupError(f"{DATA} does not match the checksum in {MANIFEST}: the archive is damaged")

    try:
        connection.check_constraints()
    except DatabaseError as exc:
        raise BackupError(f"the archive's rows break a database constraint: {exc}") from exc

    counts = {label: model._base_manager.using(database).count() for label, model in known.items()}
    wrong = [
        f"{label}: {counts[label]} rows, manifest says {manifest['counts'].get(label, 0)}"
        for label in sorted(known)
        if counts[label] != manifest["counts"].get(label, 0)
    ]
    if wrong:
        raise BackupError("rows loaded do not match the manifest: " + "; ".join(wrong))

    sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(known.values()))
    if sequence_sql:
        with connection.cursor() as cursor:
            for statement in sequence_sql:
                cursor.execute(statement)
    return {label: n for label, n in counts.items() if label in manifest["counts"] or n}


def _insert(batch: list[DeserializedObject], database: str) -> None:
    """Insert rows of one model as stored (raw: no signals, auto_now fields keep their values)."""
    model = type(batch[0].object)
    if model._meta.parents:  # multi-table inheritance needs Django's per-row save
        for item in batch:
            item.save(using=database, force_insert=True)
        return
    objs = [item.object for item in batch]
    fields = model._meta.local_concrete_fields
    size = max(connections[database].ops.bulk_batch_size(fields, objs), 1)
    manager = model._base_manager.db_manager(database)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, raw=True, using=database)  # type: ignore[attr-defined]
    for item in batch:
        item.object._state.adding = False
        item.object._state.db = database
        for accessor, values in (item.m2m_data or {}).items():
            if values:
                getattr(item.object, accessor).set(values)


def _swap_media(staging: Path, media_root: Path) -> None:
    """Move MEDIA_ROOT's files aside, move the restored ones in, delete the old ones.

    Renames within MEDIA_ROOT stay on one file system even when MEDIA_ROOT is a mount point.
    """
    old = media_root / f"{_OLD_PREFIX}{uuid.uuid4().hex[:8]}"
    old.mkdir()
    for child in list(media_root.iterdir()):
        if child in (staging, old):
            continue
        child.rename(old / child.name)
    for child in list(staging.iterdir()):
        child.rename(media_root / child.name)
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------- archives
def archive_kind(path: Path) -> str:
    """ "zip" or "tar.gz" from the file name; BackupError for anything else."""
    name = Path(path).name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    raise BackupError(f"{path}: the archive name must end in .zip, .tar.gz or .tgz")


class _ArchiveReader:
    """Reads members of a .zip or .tar.gz backup, refusing unsafe or unexpected member names."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        self.zip: zipfile.ZipFile | None = None
        self.tar: tarfile.TarFile | None = None
        if kind == "zip":
            self.zip = zipfile.ZipFile(path)
        else:
            self.tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by __exit__

    def __enter__(self) -> _ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.zip is not None:
            self.zip.close()
        if self.tar is not None:
            self.tar.close()

    def open(self, name: str) -> IO[bytes]:
        if self.zip is not None:
            try:
                return self.zip.open(name)
            except KeyError as exc:
                raise BackupError(f"the archive has no {name}") from exc
        assert self.tar is not None
        try:
            member = self.tar.extractfile(name)
        except KeyError as exc:
            raise BackupError(f"the archive has no {name}") from exc
        if member is None:
            raise BackupError(f"{name} in the archive is not a file")
        return member

    def read_bytes(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        assert self.tar is not None
        member = self.tar.extractfile(name)
        if member is None:
            raise KeyError(name)
        return member.read()

    def _media_members(self) -> Iterator[tuple[str, bool, Any]]:
        """(name, is_file, handle) for every member; raises on names or types a backup never has."""
        if self.zip is not None:
            for info in self.zip.infolist():
                yield info.filename, not info.is_dir(), info
            return
        assert self.tar is not None
        for member in self.tar.getmembers():
            if not (member.isfile() or member.isdir()):
                raise BackupError(f"the archive member {member.name} is a link or device; refusing it")
            yield member.name, member.isfile(), member

    def extract_media(self, target: Path) -> int:
        """Unpack media/… into ``target``; returns the number of files."""
        count = 0
        for name, is_file, handle in self._media_members():
            if name in (MANIFEST, DATA) or name.rstrip("/") == MEDIA_PREFIX.rstrip("/"):
                continue
            relative = _safe_media_name(name)
            destination = target.joinpath(*relative.parts)
            if not is_file:
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = self.zip.open(handle) if self.zip is not None else self.tar.extractfile(handle)  # type: ignore[union-attr]
            if source is None:
                raise BackupError(f"{name} in the archive is not a file")
            with source, destination.open("wb") as out:
                shutil.copyfileobj(source, out, length=1024 * 1024)
            count += 1
        return count


def _safe_media_name(name: str) -> PurePosixPath:
    """The path below media/ of an archive member; BackupError for anything that could escape."""
    path = PurePosixPath(name)
    if (
        not name.startswith(MEDIA_PREFIX)
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in path.parts)
        or any(part.startswith((_STAGING_PREFIX, _OLD_PREFIX)) for part in path.parts)
    ):
        raise BackupError(f"the archive member {name!r} is not a file under media/; refusing it")
    relative = path.relative_to(MEDIA_PREFIX.rstrip("/"))
    if not relative.parts:
        raise BackupError(f"the archive member {name!r} is not a file under media/; refusing it")
    return relative


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _bioplan_version() -> str:
    try:
        return metadata.version("bioplan")
    except metadata.PackageNotFoundError:
        return "unknown"
