"""Backups people can trust (issue #15, item 7): a round trip into a new empty database and media
root on PostgreSQL and on SQLite, verified by `manage.py restore` itself; a tampered backup is
refused before anything is restored; a non-empty target is refused; retention; a clear message
without pg_dump."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from dksangtao import backup as backups
from fund import chart
from fund.models import Transaction, Voucher
from fund.selectors import balances_by_code
from fund.services import budget_receipt_draft, payment_draft, transaction_approve
from tests.samples import PDF

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def ledger(fund_maker, fund_checker):
    """A posted budget receipt and a posted payment with its voucher (a file under MEDIA_ROOT)."""
    chart.chart_ensure()
    receipt = budget_receipt_draft(
        date=DAY, decision_number="125/QĐ-UBND", amount=100_000_000, into=chart.BANK, description="",
        drafted_by=fund_maker,
    )  # fmt: skip
    transaction_approve(txn=receipt, approver=fund_checker)
    payment = payment_draft(
        purpose="organising",
        date=DAY,
        amount=12_500_000,
        out_of=chart.BANK,
        description="In giấy chứng nhận",
        reference="HĐ 0001234",
        voucher=SimpleUploadedFile("Hóa đơn.pdf", PDF, content_type="application/pdf"),
        drafted_by=fund_maker,
    )
    transaction_approve(txn=payment, approver=fund_checker)
    return Voucher.objects.get()


def run_manage(*args, env: dict) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, as an operator runs it, against the given DATABASE_URL/MEDIA_ROOT."""
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environment.update(env, PYTHONPATH=str(ROOT), DEBUG="true")
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_round_trip(done, voucher, new_media):
    assert done.returncode == 0, done.stderr
    assert "Đã phục hồi và kiểm tra: khớp hoàn toàn / restored and verified, all match" in done.stdout
    assert "9 tài khoản quỹ/ledger accounts" in done.stdout
    assert (new_media / voucher.file.name).read_bytes() == PDF


# PostgreSQL --------------------------------------------------------------------------------------


@pytest.fixture
def empty_database():
    """A new empty PostgreSQL database beside the test database, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_postgresql_round_trip_into_a_new_empty_database_and_media_root(ledger, tmp_path, empty_database):
    url, connect = empty_database
    made = backups.backup(into=tmp_path / "backups")
    manifest = json.loads((made.path / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql" and "database.dump" in manifest["files"]
    assert manifest["figures"]["ledger_balances"][chart.BANK] == 87_500_000
    assert manifest["counts"]["fund.Transaction"] == 2 and manifest["counts"]["fund.Voucher"] == 1
    assert manifest["files"][f"media/{ledger.file.name}"]["sha256"] == ledger.sha256

    new_media = tmp_path / "restored-media"
    done = run_manage("restore", str(made.path), env={"DATABASE_URL": url, "MEDIA_ROOT": str(new_media)})
    assert_round_trip(done, ledger, new_media)
    with connect() as restored:  # seen from outside Django too: the posted payment and its voucher
        (status, amount) = restored.execute(
            "SELECT t.status, e.credit FROM fund_transaction t JOIN fund_entry e ON e.transaction_id = t.id "
            "WHERE t.reference = 'HĐ 0001234' AND e.credit > 0"
        ).fetchone()
        assert (status, amount) == ("posted", 12_500_000)
        assert restored.execute("SELECT file, sha256 FROM fund_voucher").fetchone() == (
            ledger.file.name,
            ledger.sha256,
        )

    again = run_manage("restore", str(made.path), env={"DATABASE_URL": url, "MEDIA_ROOT": str(new_media)})
    assert again.returncode != 0
    assert "CSDL đích đã có" in again.stderr and "chỉ phục hồi vào CSDL trống" in again.stderr
    assert "đã có tệp; chỉ phục hồi vào thư mục trống" in again.stderr


@pytest.mark.postgres_only
def test_a_write_committed_while_pg_dump_runs_is_in_neither_the_dump_nor_the_manifest(
    ledger, tmp_path, monkeypatch, empty_database
):
    """One snapshot: a `pg_dump` on PATH that first commits a row from another session, then runs the
    real one. The manifest's counts (taken after the dump) and the dump agree without that row."""
    insert = "INSERT INTO auth_group (name) VALUES ('viết trong lúc sao lưu')"
    wrapper = tmp_path / "bin" / "pg_dump"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f'#!/bin/sh\npsql -X -q -d "$PGDATABASE" -c "{insert}"\nexec {shutil.which("pg_dump")} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    made = backups.backup(into=tmp_path / "backups")
    assert Group.objects.filter(name="viết trong lúc sao lưu").exists()  # committed during the dump
    assert backups.read_manifest(made.path)["counts"]["auth.Group"] == Group.objects.count() - 1
    url, _connect = empty_database
    done = run_manage("restore", str(made.path), env={"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "m")})
    assert done.returncode == 0, done.stderr  # the dump holds exactly what the manifest counted


@pytest.mark.postgres_only
def test_without_pg_dump_the_backup_says_what_to_install(ledger, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(
        backups.BackupError, match=r"Không tìm thấy chương trình pg_dump \(gói postgresql-client\)"
    ):
        backups.backup(into=tmp_path / "backups")
    assert not list((tmp_path / "backups").iterdir())  # nothing half-written left


# SQLite ------------------------------------------------------------------------------------------


def test_sqlite_round_trip_into_a_new_database_file_and_media_root(ledger, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own above")
    made = backups.backup(into=tmp_path / "backups")
    assert made.path.name.startswith("dkst-") and (made.path / "database.sqlite3").exists()
    new_media = tmp_path / "restored-media"
    done = run_manage(
        "restore",
        str(made.path),
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}", "MEDIA_ROOT": str(new_media)},
    )
    assert_round_trip(done, ledger, new_media)


# Either engine -----------------------------------------------------------------------------------


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["voucher", "database", "extra file", "missing file"])
def test_a_tampered_backup_is_refused_before_anything_is_restored(ledger, tmp_path, settings, damage):
    made = backups.backup(into=tmp_path / "backups")
    voucher_copy = made.path / "media" / ledger.file.name
    if damage == "voucher":
        flip_one_byte(voucher_copy)
        expected = f"Sai mã băm / hash mismatch: media/{ledger.file.name}"
    elif damage == "database":
        flip_one_byte(next(made.path.glob("database.*")))
        expected = "Sai mã băm / hash mismatch: database."
    elif damage == "extra file":
        (made.path / "media" / "vouchers-extra.pdf").write_bytes(PDF)
        expected = "Tệp lạ không có trong bản kê / file not in the manifest: media/vouchers-extra.pdf"
    else:
        voucher_copy.unlink()
        expected = f"Thiếu tệp / missing file: media/{ledger.file.name}"
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    before = Transaction.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(made.path))
    assert "Bản sao lưu không toàn vẹn, không phục hồi gì" in str(refused.value)
    assert expected in str(refused.value)
    assert not (tmp_path / "restored-media").exists()
    assert Transaction.objects.count() == before


def test_a_restore_into_a_database_in_use_is_refused(ledger, tmp_path, settings):
    made = backups.backup(into=tmp_path / "backups")
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match="CSDL đích đã có [0-9]+ bảng; chỉ phục hồi vào CSDL trống"):
        call_command("restore", str(made.path))


def test_verification_names_each_count_and_balance_that_differs(ledger, tmp_path, fund_maker, fund_checker):
    made = backups.backup(into=tmp_path / "backups")
    manifest = backups.read_manifest(made.path)
    receipt = budget_receipt_draft(
        date=DAY, decision_number="126/QĐ-UBND", amount=5_000_000, into=chart.BANK, description="",
        drafted_by=fund_maker,
    )  # fmt: skip
    transaction_approve(txn=receipt, approver=fund_checker)
    result = backups.verify(manifest)
    assert "Số dòng fund.Transaction: 2 → 3 / row count differs" in result.problems
    assert f"ledger_balances {chart.BANK}: 87500000 → 92500000 / differs" in result.problems
    assert balances_by_code()[chart.BANK] == 92_500_000


def test_a_file_the_database_names_but_the_disk_lost_is_reported(ledger, tmp_path):
    (Path(settings.MEDIA_ROOT) / ledger.file.name).unlink()
    made = backups.backup(into=tmp_path / "backups")
    assert made.missing == [ledger.file.name]
    manifest = backups.read_manifest(made.path)
    assert manifest["missing_at_backup"] == [ledger.file.name]
    result = backups.verify(manifest)
    assert result.problems == []
    assert result.notes == [
        f"Tệp đã thiếu từ trước khi sao lưu / already missing at backup: {ledger.file.name}"
    ]


def test_retention_keeps_the_newest_and_ignores_half_written_ones(tmp_path):
    into = tmp_path / "backups"
    into.mkdir()
    (into / ".partial-dkst-20260101-000000-x").mkdir()  # an interrupted one: never counted nor deleted
    start = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
    for day in range(3):
        backups.backup(into=into, keep=0, now=start + dt.timedelta(days=day))
    assert len(backups.backups_in(into)) == 3
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:
        call_command("backup", "--into", str(into), "--keep", "2", stdout=stdout)
    kept = [p.name for p in backups.backups_in(into)]
    assert len(kept) == 2 and "dkst-20261101-090000" not in kept and "dkst-20261102-090000" not in kept
    assert kept[0] == "dkst-20261103-090000"
    assert (into / ".partial-dkst-20260101-000000-x").exists()
    text = out.read_text()
    assert "Đã xóa bản cũ / deleted old backup: dkst-20261101-090000" in text
    assert "Đã xóa bản cũ / deleted old backup: dkst-20261102-090000" in text
    assert "Đã sao lưu / backup written:" in text


def test_the_backup_directory_may_not_sit_inside_the_media_root(tmp_path):
    with pytest.raises(backups.BackupError, match="BACKUP_DIR không được nằm trong MEDIA_ROOT"):
        backups.backup(into=Path(settings.MEDIA_ROOT) / "backups")


def test_the_scheduled_task_writes_a_backup_and_applies_the_retention(ledger, tmp_path, settings):
    from dksangtao.tasks import backup_scheduled

    settings.BACKUP_DIR, settings.BACKUP_KEEP = tmp_path / "nightly", 1
    first = Path(backup_scheduled())
    assert backups.backups_in(tmp_path / "nightly") == [first]
    assert backups.read_manifest(first)["counts"]["fund.Voucher"] == 1
