"""Permission-aware reads of dossiers. Every view that shows a dossier goes through these."""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from accounts.models import Unit
from accounts.selectors import access_cache, unit_ids_with_perm, user_roles
from dksangtao.roles import PREPARE_DOSSIERS, REVIEW_DOSSIERS, VIEW_UNIT_DOSSIERS, Role
from dksangtao.text import fold, trigram_similarity
from submissions.models import Author, Campaign, Dossier, Status
from submissions.services import EDITABLE, NOMINATED_OR_LATER, TRANSITIONS


@dataclass(frozen=True)
class DossierScope:
    """What one person may see and do with dossiers, read once per request."""

    staff_units: frozenset[int]  # prepare, edit, submit, withdraw; see every status, drafts too
    view_units: frozenset[int]  # see the unit's dossiers
    review_units: frozenset[int]  # the units (and their children) this person reviews
    front_admin: bool
    council_reader: bool = False  # the council's secretary and chair: nominated dossiers and later

    @property
    def anything(self) -> bool:
        return bool(
            self.staff_units
            or self.view_units
            or self.review_units
            or self.front_admin
            or self.council_reader
        )

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Dossiers visible to this person. Drafts stay inside their unit."""
        # "Ever submitted" is "has a reference": a draft withdrawn before submission stays inside its unit.
        submitted = Q(reference__isnull=False)
        if self.front_admin:
            return queryset.filter(Q(unit_id__in=self.view_units) | submitted)
        visible = Q(unit_id__in=self.view_units | self.staff_units) | (
            Q(unit_id__in=self.review_units) & submitted
        )
        if self.council_reader:
            visible |= Q(status__in=NOMINATED_OR_LATER)
        return queryset.filter(visible)

    def can_view(self, dossier: Dossier) -> bool:
        if dossier.unit_id in self.view_units or dossier.unit_id in self.staff_units:
            return True
        if dossier.reference is None:  # never submitted: the unit's own business
            return False
        if self.council_reader and dossier.status in NOMINATED_OR_LATER:
            return True
        return self.front_admin or dossier.unit_id in self.review_units

    def sees_confidential(self, dossier: Dossier) -> bool:
        """Section 5 of the form: the unit, its reviewers and the council's secretary and chair only
        (not every Front admin)."""
        if dossier.unit_id in self.staff_units | self.view_units | self.review_units:
            return True
        return self.council_reader and dossier.status in NOMINATED_OR_LATER

    def actions(self, dossier: Dossier) -> set[str]:
        """The actions this person may take on this dossier now (deadlines are checked on doing)."""
        allowed: set[str] = set()
        possible = TRANSITIONS[dossier.status]
        if dossier.unit_id in self.staff_units:
            if dossier.status in EDITABLE:
                allowed |= {"edit", "submit", "attach"}
            if Status.WITHDRAWN in possible:
                allowed.add("withdraw")
        if dossier.unit_id in self.review_units:
            if Status.RETURNED in possible:
                allowed.add("return")
            if Status.RECOGNISED_AT_UNIT in possible:
                allowed.add("recognise")
            if Status.NOMINATED in possible:
                allowed.add("nominate")
        return allowed


def staff_units(user) -> QuerySet:
    """The active units this person prepares dossiers for, by name."""
    return Unit.objects.filter(pk__in=dossier_scope(user).staff_units, is_active=True).order_by("name")


def dossier_scope(user) -> DossierScope:
    cache = access_cache(user)
    if "dossier_scope" in cache:
        return cache["dossier_scope"]
    scope = cache["dossier_scope"] = DossierScope(
        staff_units=frozenset(unit_ids_with_perm(user, PREPARE_DOSSIERS)),
        view_units=frozenset(unit_ids_with_perm(user, VIEW_UNIT_DOSSIERS)),
        review_units=frozenset(unit_ids_with_perm(user, REVIEW_DOSSIERS)),
        front_admin=Role.FRONT_ADMIN in user_roles(user),
        council_reader=bool({Role.COUNCIL_SECRETARY, Role.COUNCIL_CHAIR} & user_roles(user)),
    )
    return scope


def dossier_for_user(user, pk: int) -> tuple[Dossier, DossierScope]:
    """The dossier with what the page needs, or 404 for anyone who may not see it (no hint that it
    exists)."""
    scope = dossier_scope(user)
    try:
        dossier = Dossier.objects.select_related("campaign", "unit", "kind", "field", "created_by").get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if not scope.can_view(dossier):
        raise Http404
    return dossier, scope


def dossier_list(user, *, filters: dict) -> QuerySet:
    """The list a person sees, with the filters of the list page; related rows joined, no query per row."""
    queryset = dossier_scope(user).filter(Dossier.objects.all())
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("field"):
        queryset = queryset.filter(field=filters["field"])
    if filters.get("year"):
        queryset = queryset.filter(campaign__year=filters["year"])
    if filters.get("unit"):
        queryset = queryset.filter(unit=filters["unit"])
    if filters.get("q"):
        needle = fold(filters["q"])
        queryset = queryset.filter(
            Q(search_text__contains=needle) | Q(reference__icontains=filters["q"].strip())
        )
    return queryset.select_related("campaign", "unit", "kind", "field").annotate(author_count=_author_count())


def _author_count():
    # A subquery rather than a join with GROUP BY, so the paginator's COUNT stays a plain count.
    authors = (
        Author.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(n=Count("id"))
    )
    return Coalesce(Subquery(authors.values("n")), 0)


def review_queue(user) -> QuerySet:
    """Submitted dossiers waiting for this reviewer, oldest first."""
    scope = dossier_scope(user)
    return (
        Dossier.objects.filter(unit_id__in=scope.review_units, status=Status.SUBMITTED)
        .select_related("campaign", "unit", "kind", "field")
        .annotate(author_count=_author_count())
        .order_by("submitted_at", "id")
    )


def screening_queue(campaign: Campaign) -> QuerySet:
    """Nominated dossiers of a campaign waiting for the secretary's eligibility screening, oldest first."""
    return (
        Dossier.objects.filter(campaign=campaign, status=Status.NOMINATED)
        .select_related("unit", "kind", "field")
        .order_by("submitted_at", "id")
    )


def current_campaign() -> Campaign | None:
    """The campaign in progress (or the next one): the first whose ceremony is still to come; when
    every ceremony has passed, the latest campaign."""
    upcoming = Campaign.objects.filter(ceremony_date__gte=timezone.localdate()).order_by("ceremony_date")
    return upcoming.first() or Campaign.objects.order_by("-year").first()


@dataclass(frozen=True)
class SimilarDossier:
    dossier: Dossier
    similarity: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


SIMILARITY_THRESHOLD = 0.3  # pg_trgm's own default for the % operator


def similar_dossiers(
    text: str, *, title: str | None = None, exclude_id: int | None = None, limit: int = 5
) -> list[SimilarDossier]:
    """Earlier dossiers (any year, any unit, neither drafts nor withdrawn) that look like this one,
    ignoring diacritics and case. `text` (title and summary together) is compared with theirs; when
    `title` is given, titles are also compared on their own and the better figure counts, so a long
    summary cannot hide a near-identical title. pg_trgm's similarity on PostgreSQL (the % operator,
    GIN-indexed); the same measure in Python on SQLite."""
    folded_text = fold(text)
    folded_title = fold(title) if title else ""
    if len(folded_text) < 4:
        return []
    candidates = Dossier.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        match = Q(search_text__trigram_similar=folded_text)
        similarity = TrigramSimilarity("search_text", folded_text)
        if folded_title:
            match |= Q(search_title__trigram_similar=folded_title)
            similarity = Greatest(similarity, TrigramSimilarity("search_title", folded_title))
        rows = (
            candidates.filter(match)
            .annotate(similarity=similarity)
            .filter(similarity__gte=SIMILARITY_THRESHOLD)
            .select_related("unit", "campaign")
            .order_by("-similarity", "-id")[:limit]
        )
        return [SimilarDossier(row, row.similarity) for row in rows]

    def score(search_text: str, search_title: str) -> float:
        figure = trigram_similarity(folded_text, search_text)
        return max(figure, trigram_similarity(folded_title, search_title)) if folded_title else figure

    rows = candidates.values_list("pk", "search_text", "search_title").iterator()
    scored = [(score(search_text, search_title), pk) for pk, search_text, search_title in rows]
    best = sorted(
        (item for item in scored if item[0] >= SIMILARITY_THRESHOLD), key=lambda item: (-item[0], -item[1])
    )[:limit]
    by_pk = Dossier.objects.select_related("unit", "campaign").in_bulk([pk for _s, pk in best])
    return [SimilarDossier(by_pk[pk], similarity) for similarity, pk in best]


def dossier_counts_by_status(unit_ids) -> dict[str, int]:
    rows = Dossier.objects.filter(unit_id__in=unit_ids).values_list("status").annotate(n=Count("id"))
    return dict(rows)
