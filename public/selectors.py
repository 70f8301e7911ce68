"""Reading the public database: only records that are public, never anything else."""

from uuid import uuid4

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import Http404

from public.models import PublicRecord, RecordApplication

# The public pages' figures (facet counts, statistics, related records, the sitemap) are the same for
# every visitor and change only through public.services, which drops them after each commit
# (forget_public_figures). The lifetime only bounds what a lost drop (Redis briefly unreachable) costs.
PUBLIC_CACHE_SECONDS = 10 * 60
_VERSION_KEY = "public:version"


def public_version() -> str:
    """Changes whenever the public database does (forget_public_figures)."""
    return cache.get_or_set(_VERSION_KEY, uuid4().hex, None)


def public_cached(name: str, build):
    """`build()`, kept in the cache until the public database next changes."""
    return cache.get_or_set(f"public:{public_version()}:{name}", build, PUBLIC_CACHE_SECONDS)


def forget_public_figures() -> None:
    """Every cached figure of the public pages is dropped at once (their keys carry the version)."""
    cache.delete(_VERSION_KEY)


def visible_records():
    return PublicRecord.objects.filter(withdrawn_at__isnull=True)


def record_by_reference(reference: str) -> PublicRecord:
    """The record, withdrawn ones included (their page answers 410); 404 when there is none."""
    record = (
        PublicRecord.objects.select_related("field", "kind", "unit").filter(reference=reference[:20]).first()
        if reference and "\x00" not in reference
        else None
    )
    if record is None:
        raise Http404
    return record


def confirmed_applications(record):
    return (
        RecordApplication.objects.filter(record=record, status=RecordApplication.Status.CONFIRMED)
        .select_related("unit")
        .order_by("-applied_on", "-id")
    )


def application_totals(record) -> dict:
    return confirmed_applications(record).order_by().aggregate(count=Count("pk"), benefit=Sum("benefit_vnd"))


def statistics() -> dict:
    """The figures of the statistics page and of the API: records by year, field and kind of unit;
    benefits claimed; confirmed applications. Six aggregates over every visible record (25–45 ms each
    at 40,000 records): computed once per change of the public database."""
    return public_cached("statistics", _statistics)


def _statistics() -> dict:
    records = visible_records()
    confirmed = RecordApplication.objects.filter(
        status=RecordApplication.Status.CONFIRMED, record__withdrawn_at__isnull=True
    )
    return {
        "total": records.count(),
        "benefit": records.aggregate(total=Sum("economic_benefit_vnd"))["total"] or 0,
        "by_year": list(
            records.values("year")
            .annotate(n=Count("pk"), benefit=Sum("economic_benefit_vnd"))
            .order_by("year")
        ),
        "by_field": list(
            records.values("field__name", "field__order")
            .annotate(n=Count("pk"), benefit=Sum("economic_benefit_vnd"))
            .order_by("field__order", "field__name")
        ),
        "by_unit_kind": list(
            records.values("unit__kind").annotate(n=Count("pk")).order_by("-n", "unit__kind")
        ),
        "applications": confirmed.aggregate(
            n=Count("pk"), benefit=Sum("benefit_vnd"), records=Count("record", distinct=True)
        ),
        "honoured": records.filter(Q(recognition="honoured")).count(),
    }
