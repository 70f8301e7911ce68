"""Backups people can trust: `manage.py backup` and `manage.py restore` (issue #15, item 7).

A backup is one directory under settings.BACKUP_DIR named by its time, `dkst-YYYYMMDD-HHMMSS/`:

    database.dump      PostgreSQL's custom format (pg_dump -Fc), or database.sqlite3 on SQLite
    media/…            every file of the media storage — MEDIA_ROOT, or the S3 bucket when one is set
                       (dossier attachments, vouchers, portraits, reports, open data, imports)
    manifest.json      the SHA-256 and size of every file above, the time, the engine, the applied
                       migrations, the row count of every table and the ledger's balance per account
                       (the figures apps register: dksangtao.registry.register_backup_figures)

The database part is one snapshot: on PostgreSQL this process opens a REPEATABLE READ transaction,
exports its snapshot to pg_dump (--snapshot) and counts rows and balances inside the same transaction,
so the manifest describes exactly what the dump holds; on SQLite the counts and sqlite3's backup API
run inside one read transaction. The directory is written under a hidden `.partial-…` name and renamed
when complete, so a half-written backup is never taken for one (nor counted by the retention).

Restore refuses a target database that has any table or a media storage that holds any file (there
is no --force: restoring over live data is the one mistake a backup must not make possible; empty
them, or point DATABASE_URL/MEDIA_ROOT/MEDIA_S3_BUCKET elsewhere). It checks every hash of the
manifest BEFORE it changes anything, restores, then verifies: each restored file hashes as in the
manifest, each file the database refers to exists (and matches the hash its row keeps), and the
migrations, the row counts and the ledger's balances equal the manifest's.

Media are read and written through Django's storage API only, so the same commands serve the local
disk and an object store (the backup itself is written to BACKUP_DIR, a local folder).
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from dksangtao.registry import BACKUP_FIGURES

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
PREFIX = "dkst-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese and English."""


# The database's state, read inside the snapshot ------------------------------------------------


def _counted_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and not m._meta.swapped),
        key=lambda m: m._meta.label,
    )


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, f)
        for model in _counted_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


def referenced_files() -> dict[str, str]:
    """{path under MEDIA_ROOT: the SHA-256 its row keeps, or ""} for every file the database names."""
    found: dict[str, str] = {}
    for model, f in _file_fields():
        has_hash = any(other.name == "sha256" for other in model._meta.concrete_fields)
        columns = (f.attname, "sha256") if has_hash else (f.attname,)
        for row in model._default_manager.exclude(**{f.attname: ""}).values_list(*columns):
            found[row[0]] = row[1] if has_hash else ""
    return found


def database_state() -> dict:
    """Applied migrations, rows per table, the figures the apps register (the fund's ledger balances
    per account, from its own selector) and the files referenced; the caller holds the transaction
    that makes them one snapshot."""
    return {
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "counts": {m._meta.label: m._default_manager.count() for m in _counted_models()},
        "figures": {name: provider() for name, provider in sorted(BACKUP_FIGURES.items())},
        "referenced_files": referenced_files(),
    }


# PostgreSQL's client programs ------------------------------------------------------------------


def _pg_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name} (gói postgresql-client). "
            f"/ {name} not found: install the PostgreSQL client (Debian: apt-get install postgresql-client), "
            "the same major version as the server."
        )
    return path


def _pg_env() -> dict[str, str]:
    """The connection settings of DATABASES['default'] as libpq's variables (the password stays out
    of the process list)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại / failed ({done.returncode}): {done.stderr.strip()[:2000]}")


# Files -----------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(storage, name: str, target: Path) -> tuple[str, int]:
    """Copy a stored file to the backup in one pass, returning the SHA-256 and size written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as read, target.open("wb") as write:
        while chunk := read.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            write.write(chunk)
    return digest.hexdigest(), size


def _sha256_stored(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(storage=None, folder: str = "") -> list[str]:
    """Every file name in the media storage (local disk or a bucket), sorted, through its API."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # local disk before the first upload
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _local_media_root(storage) -> Path | None:
    """The media folder when the storage is the local disk, None for an object store."""
    try:
        return Path(storage.path("")).resolve()
    except NotImplementedError:
        return None


def _files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Đường dẫn không hợp lệ trong bản kê / unsafe path in the manifest: {name!r}")
    return path


# Backup ----------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    files: int
    bytes: int
    deleted: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # referenced by the database, absent on disk


def _snapshot_postgresql(target: Path) -> dict:
    pg_dump = _pg_program("pg_dump")
    if connection.in_atomic_block:
        raise BackupError("Sao lưu phải chạy ngoài giao dịch / the backup must not run inside a transaction.")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        # pg_dump reads the very snapshot this transaction holds, while it is held.
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(target)], "pg_dump")
        return database_state()


def _snapshot_sqlite(target: Path) -> dict:
    if connection.in_atomic_block:
        raise BackupError("Sao lưu phải chạy ngoài giao dịch / the backup must not run inside a transaction.")
    with transaction.atomic():
        state = database_state()  # takes SQLite's shared lock: no writer until the copy is done
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    return state


def backup(
    *, into: Path | None = None, keep: int | None = None, now: dt.datetime | None = None
) -> BackupResult:
    """Write one backup (module docstring) and delete the oldest beyond `keep` (settings.BACKUP_KEEP
    by default; 0 keeps all)."""
    into = Path(into or settings.BACKUP_DIR).resolve()
    storage = default_storage
    media_root = _local_media_root(storage)
    if media_root is not None and (into == media_root or media_root in into.parents):
        raise BackupError(
            "BACKUP_DIR không được nằm trong MEDIA_ROOT / BACKUP_DIR must not be inside MEDIA_ROOT."
        )
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Chưa hỗ trợ sao lưu CSDL {vendor} / no backup for the {vendor} engine.")
    now = now or timezone.now()
    name = f"{PREFIX}{timezone.localtime(now):%Y%m%d-%H%M%S}"
    if (into / name).exists():
        raise BackupError(f"Đã có bản sao lưu {name} / a backup named {name} exists already.")
    into.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".partial-{name}-", dir=into))
    try:
        dump = work / DUMPS[vendor]
        state = (_snapshot_postgresql if vendor == "postgresql" else _snapshot_sqlite)(dump)
        files = {DUMPS[vendor]: {"sha256": sha256_file(dump), "size": dump.stat().st_size}}
        for relative in stored_files(storage):
            digest, size = _copy_hashing(storage, relative, work / MEDIA / _safe_relative(relative))
            files[f"{MEDIA}/{relative}"] = {"sha256": digest, "size": size}
        stored = {name.removeprefix(f"{MEDIA}/") for name in files if name.startswith(f"{MEDIA}/")}
        missing = sorted(set(state["referenced_files"]) - stored)
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": now.isoformat(),
            "engine": vendor,
            "database": DUMPS[vendor],
            "migrations": state["migrations"],
            "counts": state["counts"],
            "figures": state["figures"],
            "missing_at_backup": missing,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        work.rename(into / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result = BackupResult(
        path=into / name,
        files=len(files),
        bytes=sum(entry["size"] for entry in files.values()),
        missing=missing,
    )
    result.deleted = prune(into, settings.BACKUP_KEEP if keep is None else keep)
    return result


def backups_in(directory: Path) -> list[Path]:
    """The complete backups in `directory`, oldest first (their names sort by time)."""
    if not directory.exists():
        return []
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).exists()
    )


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete the oldest complete backups beyond `keep` (0: keep all)."""
    if keep <= 0:
        return []
    old = backups_in(directory)[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


# Restore ---------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    files: int = 0
    tables: int = 0
    accounts: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"Không đọc được bản kê / cannot read {source / MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Bản kê không đúng định dạng / unknown manifest format: {manifest.get('format')!r}"
        )
    return manifest


def check_backup(source: Path, manifest: dict) -> list[str]:
    """Every file of the manifest present with its hash and size, and no file it does not list."""
    problems = []
    listed = manifest["files"]
    present = {p.relative_to(source).as_posix() for p in _files_under(source)} - {MANIFEST}
    for name in sorted(present - set(listed)):
        problems.append(f"Tệp lạ không có trong bản kê / file not in the manifest: {name}")
    for name, entry in sorted(listed.items()):
        _safe_relative(name)
        path = source / name
        if name not in present:
            problems.append(f"Thiếu tệp / missing file: {name}")
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            problems.append(f"Sai mã băm / hash mismatch: {name}")
    if manifest["database"] not in listed:
        problems.append(
            f"Bản kê không có tệp CSDL / the manifest lists no database file: {manifest['database']}"
        )
    return problems


def _target_problems(storage) -> list[str]:
    problems = []
    tables = connection.introspection.table_names()
    if tables:
        problems.append(
            f"CSDL đích đã có {len(tables)} bảng; chỉ phục hồi vào CSDL trống "
            f"/ the target database has {len(tables)} tables: restore only into an empty database."
        )
    if stored_files(storage):
        where = _local_media_root(storage) or settings.MEDIA_S3_BUCKET
        problems.append(
            f"Thư mục tệp {where} đã có tệp; chỉ phục hồi vào thư mục trống "
            f"/ MEDIA_ROOT {where} holds files: restore only into an empty media root."
        )
    return problems


def _restore_database(source: Path, manifest: dict) -> None:
    dump = source / manifest["database"]
    if connection.vendor == "postgresql":
        pg_restore = _pg_program("pg_restore")
        connection.close()
        # pg_restore fills materialized views with an empty search_path, under which a view whose
        # query names its tables unqualified (public_search_word's ts_stat) fails the whole restore:
        # restore everything but their data, then refresh them with the database's own search_path.
        listing = subprocess.run(
            [pg_restore, "--list", str(dump)], env=_pg_env(), capture_output=True, text=True, check=False
        )
        if listing.returncode != 0:
            raise BackupError(f"pg_restore --list thất bại / failed: {listing.stderr.strip()[:2000]}")
        lines, views = [], []
        for line in listing.stdout.splitlines():
            if " MATERIALIZED VIEW DATA " in line and not line.startswith(";"):
                schema, name = line.split(" MATERIALIZED VIEW DATA ", 1)[1].split()[:2]
                views.append((schema, name))
                line = ";" + line
            lines.append(line)
        with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as toc:
            toc.write("\n".join(lines) + "\n")
        try:
            _run(
                [
                    pg_restore,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--use-list",
                    toc.name,
                    "--dbname",
                    str(settings.DATABASES["default"]["NAME"]),
                    str(dump),
                ],
                "pg_restore",
            )
        finally:
            os.unlink(toc.name)
        with connection.cursor() as cursor:
            for schema, name in views:
                quote = connection.ops.quote_name
                cursor.execute(f"REFRESH MATERIALIZED VIEW {quote(schema)}.{quote(name)}")
    else:
        connection.ensure_connection()
        original = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            original.backup(connection.connection)
        finally:
            original.close()
    connection.close()  # the next query sees the restored schema from a fresh connection
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def verify(manifest: dict, storage=None) -> RestoreResult:
    """The restored database and media storage against the manifest."""
    storage = storage or default_storage
    result = RestoreResult()
    expected = {
        name.removeprefix(f"{MEDIA}/"): entry
        for name, entry in manifest["files"].items()
        if name.startswith(f"{MEDIA}/")
    }
    on_disk = set(stored_files(storage))
    for name in sorted(set(expected) - set(on_disk)):
        result.problems.append(f"Tệp chưa được phục hồi / file not restored: {name}")
    for name in sorted(set(on_disk) - set(expected)):
        result.problems.append(f"Tệp thừa / unexpected file: {name}")
    hashes = {}
    for name in sorted(set(expected) & set(on_disk)):
        hashes[name] = _sha256_stored(storage, name)
        if hashes[name] != expected[name]["sha256"]:
            result.problems.append(f"Sai mã băm sau phục hồi / hash mismatch after restore: {name}")
    result.files = len(hashes)
    with transaction.atomic():
        state = database_state()
    missing_before = set(manifest.get("missing_at_backup", []))
    for name, row_hash in sorted(state["referenced_files"].items()):
        if name not in on_disk:
            if name in missing_before:
                result.notes.append(f"Tệp đã thiếu từ trước khi sao lưu / already missing at backup: {name}")
            else:
                result.problems.append(
                    f"CSDL trỏ tới tệp không có / the database refers to a missing file: {name}"
                )
        elif row_hash and hashes.get(name) != row_hash:
            result.problems.append(
                f"Tệp khác mã băm lưu trong CSDL / file differs from its row's hash: {name}"
            )
    if state["migrations"] != manifest["migrations"]:
        result.problems.append(
            "Trạng thái migration khác bản kê / the applied migrations differ from the manifest."
        )
    for label in sorted(set(manifest["counts"]) | set(state["counts"])):
        before, after = manifest["counts"].get(label), state["counts"].get(label)
        if before != after:
            result.problems.append(f"Số dòng {label}: {before} → {after} / row count differs")
    result.tables = len(state["counts"])
    for name in sorted(set(manifest["figures"]) | set(state["figures"])):
        before, after = manifest["figures"].get(name, {}), state["figures"].get(name, {})
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                result.problems.append(f"{name} {key}: {before.get(key)} → {after.get(key)} / differs")
    result.accounts = len(state["figures"].get("ledger_balances", {}))
    return result


def restore(*, source: Path) -> RestoreResult:
    """Check the backup, refuse a non-empty target, restore, verify (module docstring). Raises
    BackupError before changing anything; returns the verification, whose problems mean failure."""
    source = Path(source).resolve()
    manifest = read_manifest(source)
    problems = check_backup(source, manifest)
    if problems:
        raise BackupError(
            "Bản sao lưu không toàn vẹn, không phục hồi gì "
            "/ the backup fails its own manifest, nothing restored:\n  " + "\n  ".join(problems)
        )
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu của {manifest['engine']}, CSDL đích là {connection.vendor} "
            f"/ a {manifest['engine']} backup cannot be restored into {connection.vendor}."
        )
    storage = default_storage
    problems = _target_problems(storage)
    if problems:
        raise BackupError("\n".join(problems))
    _restore_database(source, manifest)
    for name in manifest["files"]:
        if name.startswith(f"{MEDIA}/"):
            relative = str(_safe_relative(name.removeprefix(f"{MEDIA}/")))
            with (source / name).open("rb") as handle:
                saved = storage.save(relative, File(handle, name=relative))
            if saved != relative:
                raise BackupError(f"Tệp {relative} được lưu thành {saved} / stored under another name.")
    return verify(manifest, storage)
