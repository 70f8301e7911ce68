"""The public award pages: the published lists by year, each honouree's certificate. Nothing of a list
shows before it is published."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from awards.certificates import certificate_pdf
from awards.models import AwardChange, AwardList, Honouree


def index_view(request):
    lists = AwardList.objects.filter(status=AwardList.Status.PUBLISHED).select_related("campaign")
    return render(request, "awards/public_index.html", {"lists": lists.order_by("-campaign__year")})


def _published(year: int) -> AwardList:
    award_list = (
        AwardList.objects.filter(campaign__year=year, status=AwardList.Status.PUBLISHED)
        .select_related("campaign")
        .first()
    )
    if award_list is None:
        raise Http404
    return award_list


def year_view(request, year):
    award_list = _published(year)
    context = {
        "award_list": award_list,
        "honourees": award_list.honourees.select_related("dossier__field"),
        "amendments": AwardChange.objects.filter(
            award_list=award_list, action=AwardChange.Action.AMENDED
        ).select_related("dossier"),
    }
    return render(request, "awards/public_year.html", context)


def certificate_view(request, year, pk):
    award_list = _published(year)
    honouree = get_object_or_404(Honouree.objects.select_related("dossier"), pk=pk, award_list=award_list)
    honouree.award_list = award_list
    response = HttpResponse(certificate_pdf(honouree), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="chung-nhan-{honouree.certificate_number.split("/")[0]}.pdf"'
    )
    return response
