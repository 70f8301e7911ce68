"""Reads of the award: the campaign's policy, and the loaders that load what a page needs and refuse
(404) what the person may not reach — staff pages for Front admins, public pages for what is
published."""

from django.http import Http404

from awards.models import AwardList, AwardPolicy, Honouree, RankingRun, UpwardNomination
from awards.permissions import may_run_awards
from dksangtao.text import parse_id
from submissions.models import Campaign
from submissions.selectors import current_campaign

# What the pages read of an honouree that anyone may see (never the bank details or the prize):
# the public year page, the API, and — with the prize and bank columns — the staff list page.
PUBLIC_HONOUREE_COLUMNS = (
    "award_list_id",
    "dossier_id",
    "position",
    "kind",
    "name",
    "unit_name",
    "honour",
    "classification",
    "score",
    "certificate_number",
)


def policy_for(campaign: Campaign) -> AwardPolicy:
    """The campaign's saved policy, or the defaults unsaved (a page that shows it writes nothing)."""
    return AwardPolicy.objects.filter(campaign=campaign).first() or AwardPolicy(campaign=campaign)


def campaign_by_year(year) -> Campaign:
    """The campaign of a year given in a URL or a form («2026»), or 404 for anything else."""
    number = parse_id(str(year))
    campaign = Campaign.objects.filter(year=number).first() if number is not None else None
    if campaign is None:
        raise Http404
    return campaign


def chosen_campaign(request, *, required: bool = True) -> Campaign | None:
    """The campaign a page is about: ?campaign=<year> (404 for a year without one), else the current
    one; when there is no campaign at all, 404 — or None if not `required`."""
    year = request.POST.get("campaign") or request.GET.get("campaign")
    if year:
        return campaign_by_year(year)
    campaign = current_campaign()
    if campaign is None and required:
        raise Http404
    return campaign


def _first_or_404(queryset):
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def _staff(user, queryset):
    """What only Front admins reach (anyone else gets 404, not a hint that it exists)."""
    if not may_run_awards(user):
        raise Http404
    return _first_or_404(queryset)


def ranking_run_for_user(user, pk: int) -> RankingRun:
    return _staff(user, RankingRun.objects.filter(pk=pk).select_related("campaign", "started_by"))


def award_list_for_user(user, pk: int) -> AwardList:
    return _staff(
        user,
        AwardList.objects.filter(pk=pk).select_related(
            "campaign", "run", "drafted_by", "approved_by", "published_by"
        ),
    )


def honouree_for_user(user, pk: int) -> Honouree:
    return _staff(
        user,
        Honouree.objects.filter(pk=pk).select_related("award_list__campaign", "dossier", "portrait"),
    )


def nomination_for_user(user, pk: int) -> UpwardNomination:
    return _staff(user, UpwardNomination.objects.filter(pk=pk).select_related("dossier", "campaign"))


def published_list(year) -> AwardList:
    """The published list of a year, for everyone; 404 before publication (nothing tells that one is
    being prepared)."""
    return _first_or_404(
        AwardList.objects.filter(campaign__year=year, status=AwardList.Status.PUBLISHED).select_related(
            "campaign"
        )
    )


def public_honouree(year, pk: int) -> Honouree:
    award_list = published_list(year)
    honouree = _first_or_404(Honouree.objects.filter(pk=pk, award_list=award_list).select_related("dossier"))
    honouree.award_list = award_list
    return honouree
