"""The public award pages: the published lists by year, each honouree's certificate. Nothing of a list
shows before it is published."""

import io

from django.http import FileResponse
from django.shortcuts import render

from awards.certificates import certificate_pdf
from awards.models import AwardList
from awards.selectors import public_honouree, published_list
from dksangtao.audit import Action, trail_for


def index_view(request):
    lists = AwardList.objects.filter(status=AwardList.Status.PUBLISHED).select_related("campaign")
    return render(request, "awards/public_index.html", {"lists": lists.order_by("-campaign__year")})


def year_view(request, year):
    award_list = published_list(year)
    context = {
        "award_list": award_list,
        "honourees": award_list.honourees.select_related("dossier__field"),
        "amendments": trail_for(award_list, actions=[Action.HONOUREE_AMENDED]),
    }
    return render(request, "awards/public_year.html", context)


def certificate_view(request, year, pk):
    honouree = public_honouree(year, pk)
    number = honouree.certificate_number.split("/")[0]
    return FileResponse(
        io.BytesIO(certificate_pdf(honouree)),
        filename=f"chung-nhan-{number}.pdf",
        content_type="application/pdf",
    )
