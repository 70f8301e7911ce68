"""The public database's demo data (public.demo, run by seed_demo after the submissions' and the
awards' seeders): past years with records in every field, applications elsewhere, nothing private on
show, and nothing added by a second run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from dksangtao.text import fold
from public.models import PublicRecord, Recognition, RecordApplication
from submissions.demo import demo_campaigns
from submissions.models import Dossier, Field

pytestmark = pytest.mark.django_db

# Every text a record shows or lets someone search.
PUBLIC_TEXT = [
    "title",
    "unit_name",
    "authors",
    "summary",
    "current_situation",
    "solution_content",
    "novelty",
    "application_conditions",
    "application_scope",
    "benefits_by_author",
    "benefits_by_others",
    "honour",
    "decision",
    "search_title",
    "search_text",
]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return (
        Dossier.objects.count(),
        PublicRecord.objects.count(),
        RecordApplication.objects.count(),
        RecordApplication.objects.filter(status=RecordApplication.Status.CONFIRMED).count(),
    )


def test_demo_gives_three_past_years_in_every_field_and_applications_elsewhere():
    out = _seed()
    _current, previous = demo_campaigns(timezone.localdate())
    past = [previous.year - n for n in (1, 2, 3)]
    fields = set(Field.objects.values_list("pk", flat=True))
    for year in past:
        records = PublicRecord.objects.filter(year=year, withdrawn_at__isnull=True)
        assert 12 <= records.count() <= 16, year
        assert set(records.values_list("field", flat=True)) == fields, year
        assert records.values("kind").distinct().count() >= 3
        assert records.values("unit").distinct().count() >= 10
    # Recognised at their unit, put in by the demo's Front admin.
    marked = PublicRecord.objects.filter(year__in=past)
    assert set(marked.values_list("source", "recognition").distinct()) == {
        (PublicRecord.Source.MARKED, Recognition.UNIT)
    }
    assert set(marked.values_list("published_by__email", flat=True)) == {"quantri.mttq@demo.dksangtao.vn"}
    # The previous campaign's published list made its honourees public by itself.
    honoured = PublicRecord.objects.filter(year=previous.year, source=PublicRecord.Source.AWARD_LIST)
    assert honoured.exists()
    assert all(record.score is not None and record.decision for record in honoured)
    # What the browser journey searches for.
    assert PublicRecord.objects.filter(title__contains="xử lý rác thải hữu cơ").exists()
    assert PublicRecord.objects.filter(title__contains="tưới tiết kiệm").exists()
    # Applications elsewhere: several records, most confirmed by the unit's reviewer, some waiting.
    applications = RecordApplication.objects.all()
    assert 6 <= applications.count() <= 10
    assert applications.values("record").distinct().count() >= 5
    confirmed = applications.filter(status=RecordApplication.Status.CONFIRMED)
    assert confirmed.count() >= 4
    assert all(a.decided_by.email.startswith("lanhdao.") for a in confirmed)
    assert applications.filter(status=RecordApplication.Status.PENDING).exists()
    assert all(a.unit_id != a.record.unit_id for a in applications)
    assert "Cơ sở dữ liệu sáng tạo:" in out


def test_demo_records_show_no_confidential_section_and_no_name_without_consent():
    _seed()
    secrets = list(Dossier.objects.exclude(confidential_info="").values_list("confidential_info", flat=True))
    assert len(secrets) >= 5
    folded_secrets = [fold(secret) for secret in secrets]
    records = list(PublicRecord.objects.select_related("dossier").prefetch_related("dossier__authors"))
    named = private = 0
    for record in records:
        shown = " ".join(str(getattr(record, name)) for name in PUBLIC_TEXT)
        for secret, folded in zip(secrets, folded_secrets, strict=True):
            assert secret not in shown and folded not in shown, record.reference
        names = [author.full_name for author in record.dossier.authors.all()]
        if record.dossier.authors_consent:
            assert all(name in record.authors for name in names), record.reference
            named += 1
        else:
            for name in names:
                assert name not in shown and fold(name) not in fold(shown), record.reference
            private += 1
    assert named >= 10 and private >= 10


def test_a_second_run_adds_nothing():
    _seed()
    first = _counts()
    by_year = dict(PublicRecord.objects.values_list("year").annotate(n=Count("pk")))
    _seed()
    assert _counts() == first
    assert dict(PublicRecord.objects.values_list("year").annotate(n=Count("pk"))) == by_year
