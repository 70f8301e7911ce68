"""The public award pages: the published lists by year, each honouree's certificate, the «Gương»
booklet. Nothing of a list shows before it is published (the booklet's preview is for Front admins)."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from awards import booklet
from awards.certificates import certificate_pdf
from awards.forms import PublicYearForm
from awards.models import AwardList
from awards.permissions import may_preview_unpublished
from awards.selectors import PUBLIC_HONOUREE_COLUMNS, campaign_by_year, public_honouree, published_list
from councils.selectors import CLASS_LABELS
from dksangtao.audit import Action, trail_for
from dksangtao.pdf import pdf_response
from dksangtao.routers import reads_from_replica
from dksangtao.text import fold


@reads_from_replica()
def index_view(request):
    lists = AwardList.objects.filter(status=AwardList.Status.PUBLISHED).select_related("campaign")
    return render(request, "awards/public_index.html", {"lists": lists.order_by("-campaign__year")})


YEAR_PAGE = 100  # honourees a page: the whole of a province's list was 480 kB


@reads_from_replica()
def year_view(request, year):
    """The published list: a summary by class and by field (each a link that narrows the list), a
    search by name or unit, then the honourees a page at a time."""
    award_list = published_list(year)
    amendments = list(trail_for(award_list, actions=[Action.HONOUREE_AMENDED]))
    # A published list changes only by an amendment (honouree_amend, recorded in the trail): what is
    # rendered from it is kept until the next one.
    version = f"{award_list.pk}:{len(amendments)}:{amendments[-1].pk if amendments else 0}"
    form = PublicYearForm(request.GET)
    valid = form.is_valid()
    chosen = form.cleaned_data if valid else {}
    summary = cache.get_or_set(f"awards:public_year:{version}", lambda: _summary(award_list), 600)
    honourees = award_list.honourees.select_related("dossier__field").only(
        *PUBLIC_HONOUREE_COLUMNS, "dossier__reference", "dossier__title", "dossier__field__name"
    )
    if chosen.get("field"):
        honourees = honourees.filter(dossier__field=chosen["field"])
    if chosen.get("classification"):
        honourees = honourees.filter(classification=chosen["classification"])
    if chosen.get("q"):
        honourees = honourees.filter(pk__in=_named(award_list, chosen["q"]))
    if not valid:
        honourees = honourees.none()
    paginator = Paginator(honourees.order_by("position", "id"), YEAR_PAGE)
    narrowed = any(chosen.get(name) for name in ("q", "field", "classification"))
    if valid and not narrowed:
        paginator.count = summary["total"]  # known from the summary: no COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({name: getattr(value, "pk", value) for name, value in chosen.items() if value})
    context = {
        "award_list": award_list,
        "amendments": amendments,
        "form": form,
        "summary": summary,
        "narrowed": narrowed,
        "page": page,
        "listing": {"query": query},  # what includes/pagination.html reads
        # Browsing (no name typed) is the same for everyone: the rendered rows are kept.
        "table_key": "" if chosen.get("q") or not valid else f"{version}:{query}:{page.number}",
    }
    return render(request, "awards/public_year.html", context, status=200 if valid else 400)


def _summary(award_list) -> dict:
    """How many the list honours, by class and by field: two aggregates, kept with the table."""
    honourees = award_list.honourees.order_by()
    by_class = dict(honourees.values_list("classification").annotate(n=Count("pk")))
    by_field = honourees.values("dossier__field_id", "dossier__field__name", "dossier__field__order")
    return {
        "total": sum(by_class.values()),
        "by_class": [
            (key, str(label), by_class[key]) for key, label in CLASS_LABELS.items() if key in by_class
        ],
        "by_field": [
            (row["dossier__field_id"], row["dossier__field__name"], row["n"])
            for row in by_field.annotate(n=Count("pk")).order_by(
                "dossier__field__order", "dossier__field__name"
            )
        ],
    }


def _named(award_list, query: str) -> list[int]:
    """The honourees whose name or unit holds every word typed, diacritics and case aside («nguyen
    van an» finds «Nguyễn Văn An»): a list holds at most a few thousand names, read in one query."""
    wanted = fold(query).split()
    rows = award_list.honourees.order_by().values_list("pk", "name", "unit_name")
    return [pk for pk, name, unit in rows if all(word in fold(f"{name} {unit}") for word in wanted)]


def certificate_view(request, year, pk):
    honouree = public_honouree(year, pk)
    number = honouree.certificate_number.split("/")[0]
    return pdf_response(certificate_pdf(honouree), f"chung-nhan-{number}.pdf")


@require_safe
def booklet_view(request, year):
    """Public once the campaign's list is published; before that a preview for Front admins only
    (404 for everyone else: nothing tells that a list is being prepared)."""
    campaign = campaign_by_year(year)
    award_list = booklet.booklet_list(campaign, preview=may_preview_unpublished(request.user))
    if award_list is None:
        raise Http404
    response = pdf_response(
        booklet.booklet_pdf(award_list), booklet.booklet_filename(award_list), download=True
    )
    if award_list.status != award_list.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response
