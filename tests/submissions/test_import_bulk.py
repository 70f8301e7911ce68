# ruff: noqa: F811  (pytest fixtures imported from test_import_export are used as arguments)
"""The import writes in bulk: the drafts it writes are the rows dossier_create would write, its
queries do not grow with the file's rows, a failure in the last row writes nothing, and the largest
file is a setting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dksangtao.audit import Action
from dksangtao.jobs import JobStatus
from dksangtao.models import AuditEvent
from submissions import services
from submissions.imports import ImportRefused, author_header, dossier_import, read_upload
from submissions.models import Author, Dossier, DossierKind, Field, ImportJob
from tests.submissions.test_import_export import (  # noqa: F401 (fixtures)
    FIELD,
    IMPORT_URL,
    KIND,
    campaign,
    media_root,
    row,
    staff_client,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db

LAST_AUTHOR = "Tác giả của dòng cuối"


def dataset_of(count: int, **last_row):
    rows = [row(n) for n in range(1, count + 1)]
    rows[-1].update(last_row)
    return read_upload(upload(xlsx(rows)))


def columns(dossier: Dossier) -> dict:
    skip = {"id", "created_at", "updated_at"}
    return {
        f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields if f.name not in skip
    }


def test_bulk_drafts_are_the_rows_the_per_row_service_writes(staff, unit_a, unit_b, outsider, campaign):
    """dossier_create_many and dossier_create, given the same values (decomposed text included),
    write the same columns (folded search columns too), authors and «created» events."""
    data = {
        "title": "Sổ tay  ĐIỆN TỬ của tổ hòa giải".replace("ổ", "ô\u0309"),  # NFD «ổ»
        "kind": DossierKind.objects.get(name=KIND),
        "field": Field.objects.get(name=FIELD),
        "summary": "Tra cứu quy trình hòa giải trên điện thoại.",
        "economic_benefit_vnd": 12_000_000,
        "authors_consent": True,
    }
    authors = [
        {"full_name": "Lê Văn A\u0300n", "contribution_percent": 60},  # NFD «Àn»
        {"full_name": "Võ Thị Bích", "contribution_percent": 40, "workplace": "Sở Tư pháp"},
    ]
    one = services.dossier_create(campaign=campaign, unit=unit_a, actor=staff, data=data, authors=authors)
    [many] = services.dossier_create_many(campaign=campaign, unit=unit_a, actor=staff, rows=[(data, authors)])
    one.refresh_from_db()
    many.refresh_from_db()
    assert columns(many) == columns(one)
    assert (
        many.search_title == "so tay dien tu cua to hoa giai"
        and many.title == "Sổ tay  ĐIỆN TỬ của tổ hòa giải"
    )
    fields = (
        "order",
        "full_name",
        "date_of_birth",
        "workplace",
        "position",
        "qualification",
        "contribution_percent",
    )
    assert list(many.authors.values_list(*fields)) == list(one.authors.values_list(*fields))
    assert many.authors.first().full_name == "Lê Văn Àn"
    event = ("action", "actor", "object_repr", "reason", "detail", "content_type")
    by_dossier = {
        e["object_id"]: {k: e[k] for k in event}
        for e in AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).values(*event, "object_id")
    }
    assert by_dossier[many.pk] == by_dossier[one.pk] | {"object_repr": by_dossier[many.pk]["object_repr"]}
    assert by_dossier[many.pk]["object_repr"] == str(many) and by_dossier[many.pk]["detail"] == {
        "from": "",
        "to": "draft",
    }


def _queries(dataset, unit, campaign, actor):
    with CaptureQueriesContext(connection) as captured:
        report = dossier_import(dataset=dataset, unit=unit, campaign=campaign, actor=actor, commit=True)
    assert report.created == len(dataset)
    return [q["sql"] for q in captured.captured_queries]


def test_the_queries_do_not_grow_with_the_rows(staff, unit_a, unit_b, outsider, campaign):
    small = _queries(dataset_of(100), unit_a, campaign, staff)
    large = _queries(dataset_of(1000), unit_b, campaign, outsider)
    assert Dossier.objects.count() == 1100 and Author.objects.count() == 2200
    assert AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).count() == 1100
    others = [[sql for sql in queries if not sql.startswith("INSERT")] for queries in (small, large)]
    assert len(others[0]) == len(others[1]) < 15  # reading kinds, fields, titles; savepoints
    inserts = [len(queries) - len(rest) for queries, rest in zip((small, large), others, strict=True)]
    if connection.vendor == "postgresql":
        # dossiers and authors: an INSERT of up to 1,000 rows each (2,000 authors: two); the audit
        # events go by one COPY (dksangtao.audit.record_many), which Django's query log does not see
        assert (inserts[0], inserts[1]) == (2, 3)
    else:  # SQLite binds at most 999 values a statement (36 dossiers, 142 authors): still many rows
        assert inserts[1] < 1000 // 10  # an INSERT, where writing row by row took 7 queries a row


def test_an_error_in_the_last_row_writes_nothing(staff, unit_a, campaign):
    dataset = dataset_of(1000, **{author_header(2, "Tỷ lệ (%)"): 20})
    with CaptureQueriesContext(connection) as captured:
        report = dossier_import(dataset=dataset, unit=unit_a, campaign=campaign, actor=staff, commit=True)
    assert report.created == 0 and report.invalid_count == 1
    assert report.errors[0].startswith("Dòng 1001, cột «Tác giả 1 – Tỷ lệ (%)»")
    assert not [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert not Dossier.objects.exists()


@pytest.fixture
def last_author_refused():
    """The database itself refuses the last row's author (a trigger), so the failure comes in the
    middle of the writing, after every dossier of the file is inserted."""
    if connection.vendor == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_author() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.full_name = '{LAST_AUTHOR}' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_author BEFORE INSERT ON submissions_author "
            "FOR EACH ROW EXECUTE FUNCTION refuse_author()",
        ]
    else:
        statements = [
            "CREATE TRIGGER refuse_author BEFORE INSERT ON submissions_author "
            f"WHEN NEW.full_name = '{LAST_AUTHOR}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ]
    with connection.cursor() as cursor:  # the test's transaction takes them away again
        for statement in statements:
            cursor.execute(statement)


def test_a_failure_while_writing_the_last_row_writes_nothing(staff, unit_a, campaign, last_author_refused):
    rows = [row(n) for n in range(1, 301)]
    rows[-1][author_header(2, "Họ và tên")] = LAST_AUTHOR
    check = services.import_request(upload=upload(xlsx(rows)), unit=unit_a, campaign=campaign, actor=staff)
    check = services.import_run(job_id=check.pk)
    assert check.status == JobStatus.DONE and check.ok  # the rows themselves are right
    job = services.import_run(job_id=services.import_confirm(check=check, actor=staff).pk)
    assert job.status == JobStatus.FAILED and "chưa hồ sơ nào được nhập" in job.error
    assert (Dossier.objects.count(), Author.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).exists()


def test_an_import_job_reports_progress_while_it_checks_then_writes(staff, unit_a, campaign, monkeypatch):
    check = services.import_request(
        upload=upload(xlsx([row(n) for n in range(1, 41)])), unit=unit_a, campaign=campaign, actor=staff
    )
    check = services.import_run(job_id=check.pk)
    job = services.import_confirm(check=check, actor=staff)
    seen = []
    report_progress = ImportJob.report_progress

    def watched(pk, percent):  # records what the page would have seen, then writes it
        seen.append(percent)
        report_progress(pk, percent)

    monkeypatch.setattr(ImportJob, "report_progress", watched)
    job = services.import_run(job_id=job.pk)
    assert job.status == JobStatus.DONE and job.created_count == 40 and job.progress == 100
    assert seen[0] == 20 and seen[-1] == 85 and seen == sorted(seen) and len(seen) >= 10


def test_the_largest_file_is_a_setting(staff, unit_a, campaign, settings, staff_client):
    assert settings.IMPORT_MAX_ROWS == 20_000  # the default
    assert "Tối đa 20.000 hồ sơ" in staff_client.get(IMPORT_URL).content.decode()
    settings.IMPORT_MAX_ROWS = 3
    assert len(dataset_of(3)) == 3
    with pytest.raises(ImportRefused) as refused:
        dataset_of(4)
    assert str(refused.value) == "Tệp có hơn 3 hồ sơ; hãy chia thành nhiều tệp."
    assert "Tối đa 3 hồ sơ" in staff_client.get(IMPORT_URL).content.decode()


def test_a_large_files_page_shows_a_sample_and_counts_the_rest(staff_client, staff, unit_a, campaign):
    """A check keeps 200 rows for its preview and the page lists 200 errors at most, so a 20,000-row
    file's page stays small; the counts and the confirm button cover the whole file."""
    good = services.import_request(
        upload=upload(xlsx([row(n) for n in range(1, 251)])), unit=unit_a, campaign=campaign, actor=staff
    )
    good = services.import_run(job_id=good.pk)
    assert len(good.preview) == 200
    html = staff_client.get(f"{IMPORT_URL}{good.token}/").content.decode()
    assert html.count('<td class="num">') == 200 and "… và 50 dòng hợp lệ khác." in html
    assert "Dòng hợp lệ: <strong>250</strong>" in html and "Nhập 250 hồ sơ" in html
    bad = services.import_request(
        upload=upload(xlsx([row(n, **{"Tóm tắt": ""}) for n in range(1, 251)])),
        unit=unit_a,
        campaign=campaign,
        actor=staff,
    )
    bad = services.import_run(job_id=bad.pk)
    assert len(bad.row_errors) == 250
    html = staff_client.get(f"{IMPORT_URL}{bad.token}/").content.decode()
    assert "Tệp còn 250 lỗi" in html and "… và 50 lỗi khác" in html
    assert html.count("cột «Tóm tắt»: chưa điền") == 200
