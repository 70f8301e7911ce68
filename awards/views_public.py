"""The public award pages: the published lists by year, each honouree's certificate, the «Gương»
booklet. Nothing of a list shows before it is published (the booklet's preview is for Front admins)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from awards import booklet
from awards.certificates import certificate_pdf
from awards.models import AwardList
from awards.permissions import may_preview_unpublished
from awards.selectors import campaign_by_year, public_honouree, published_list
from dksangtao.audit import Action, trail_for
from dksangtao.pdf import pdf_response
from dksangtao.routers import reads_from_replica

HONOUREE_COLUMNS = ("position", "name", "unit_name", "honour", "certificate_number", "award_list", "dossier")


@reads_from_replica()
def index_view(request):
    lists = AwardList.objects.filter(status=AwardList.Status.PUBLISHED).select_related("campaign")
    return render(request, "awards/public_index.html", {"lists": lists.order_by("-campaign__year")})


@reads_from_replica()
def year_view(request, year):
    award_list = published_list(year)
    amendments = list(trail_for(award_list, actions=[Action.HONOUREE_AMENDED]))
    context = {
        "award_list": award_list,
        "honourees": award_list.honourees.select_related("dossier__field").only(
            *HONOUREE_COLUMNS, "dossier__reference", "dossier__title", "dossier__field__name"
        ),
        "amendments": amendments,
        # A published list changes only by an amendment (honouree_amend, recorded in the trail): the
        # rendered table (hundreds of rows, most of the page's time) is kept until the next one.
        "table_key": f"{award_list.pk}:{len(amendments)}:{amendments[-1].pk if amendments else 0}",
    }
    return render(request, "awards/public_year.html", context)


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
