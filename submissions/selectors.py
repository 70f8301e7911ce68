"""Permission-aware reads of dossiers. Every view that shows a dossier goes through these."""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache as shared_cache
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from accounts.models import Unit
from dksangtao.audit import Action, trail_for
from dksangtao.search import word_prefixes_condition, words_condition
from dksangtao.text import fold, nfc, parse_id, trigram_similarity, words
from submissions.models import Attachment, Author, Campaign, Dossier, Status
from submissions.permissions import DossierScope, dossier_scope


def staff_units(user) -> QuerySet:
    """The active units this person prepares dossiers for, by name."""
    return Unit.objects.filter(pk__in=dossier_scope(user).staff_units, is_active=True).order_by("name")


def dossier_for_user(user, pk: int, *, action: str | None = None) -> tuple[Dossier, DossierScope]:
    """The dossier with what the page needs, or 404 for anyone who may not see it (no hint that it
    exists); with `action`, 403 for someone who sees it but may not take that action now."""
    scope = dossier_scope(user)
    try:
        dossier = Dossier.objects.select_related(
            "campaign", "unit__parent", "kind", "field", "created_by"
        ).get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if not scope.can_view(dossier):
        raise Http404
    if action is not None and action not in scope.actions(dossier):
        raise PermissionDenied
    return dossier, scope


def attachment_for_user(user, dossier_pk: int, pk: int, *, action: str | None = None) -> Attachment:
    """An attachment of a dossier the person may see (and, with `action`, act on); 404 otherwise."""
    dossier, _scope = dossier_for_user(user, dossier_pk, action=action)
    attachment = Attachment.objects.filter(pk=pk, dossier=dossier).first()
    if attachment is None:
        raise Http404
    attachment.dossier = dossier
    return attachment


def dossier_trail(dossier: Dossier):
    """What happened to the dossier, oldest first (its page's «Quá trình xử lý»)."""
    return trail_for(dossier)


def return_reason(dossier: Dossier, trail=None) -> str:
    """Why a returned dossier came back to its unit: the reason of the last return — found in the
    dossier's `trail` when the page has already read it (dossier_trail), else read from the trail."""
    if trail is None:
        event = trail_for(dossier, actions=[Action.DOSSIER_RETURNED]).last()
    else:
        event = next((e for e in reversed(trail) if e.action == Action.DOSSIER_RETURNED), None)
    return event.reason if event else ""


# What a list of dossiers shows or exports (the pages and submissions.exports.DOSSIER_COLUMNS): a
# dossier's ten long text sections are read on its own page only, never 25 or 100,000 at a time.
LIST_FIELDS = (
    "reference",
    "status",
    "title",
    "unit_grade",
    "economic_benefit_vnd",
    "created_at",
    "submitted_at",
    "campaign__year",
    "campaign__unit_review_deadline",
    "unit__name",
    "kind__name",
    "field__name",
)


def dossier_list(user) -> QuerySet:
    """The dossiers a person sees, newest first, with what the list shows joined (no query per row);
    the list page filters and sorts it (submissions.filters.DossierFilter)."""
    queryset = dossier_scope(user).filter(Dossier.objects.all())
    return (
        queryset.select_related("campaign", "unit", "kind", "field")
        .only(*LIST_FIELDS)
        .annotate(author_count=_author_count())
        .order_by("-created_at", "-id")
    )


def list_units(user) -> QuerySet:
    """The units a person may filter their dossier list by: every unit for a Front admin, otherwise the
    units they prepare for, view or review (with the units below those they review)."""
    scope = dossier_scope(user)
    if scope.front_admin:
        return Unit.objects.order_by("-is_active", "name")
    return Unit.objects.filter(pk__in=scope.staff_units | scope.view_units | scope.review_units).order_by(
        "name"
    )


def units_matching(units: QuerySet, typed: str) -> list[tuple[int, str, str]]:
    """The units among `units` that what was typed names, as (id, code, name), in the queryset's
    order: the unit of that code or id; otherwise those of that name, or else those whose name or code
    holds it — as typed first («Sở» is not «số»), then with or without diacritics («so khcn» finds
    «Sở KH&CN»)."""
    folded = fold(typed)[:100]
    if not folded:
        return []
    rows = list(units.values_list("pk", "code", "name"))  # a province's 2,000 units: a millisecond
    pk = parse_id(folded)
    exact = [row for row in rows if row[1].lower() == folded or row[0] == pk]
    if exact:
        return exact[:1] if len(exact) == 1 else [row for row in exact if row[1].lower() == folded]

    def as_typed(text: str) -> str:
        return " ".join(nfc(text).lower().split())

    for key, wanted in ((as_typed, as_typed(typed)[:100]), (fold, folded)):
        names = [(row, key(row[2])) for row in rows]
        found = [row for row, name in names if name == wanted] or [
            row for row, name in names if wanted in name or wanted in row[1].lower()
        ]
        if found:
            return found
    return []


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
        .only(*LIST_FIELDS)
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


def current_campaign_id():
    """The id of the campaign in progress (or the next one) as an SQL expression: the first whose
    ceremony is still to come; when every ceremony has passed, the latest campaign. Other queries
    filter on it without a query of their own."""
    upcoming = Campaign.objects.filter(ceremony_date__gte=timezone.localdate()).order_by("ceremony_date")
    latest = Campaign.objects.order_by("-year")
    return Coalesce(Subquery(upcoming.values("pk")[:1]), Subquery(latest.values("pk")[:1]))


# How long a process may keep answering with the current campaign's id once a campaign has been saved
# elsewhere (the save forgets it in its own process at once: submissions.receivers). It changes a few
# times a year; a minute bounds the lag between web processes without a shared cache.
CURRENT_CAMPAIGN_CACHE_SECONDS = 60


def current_campaign_pk() -> int | None:
    """The id of current_campaign_id() as a value, for the code that compares with it in Python
    (councils.permissions.council_places on every signed-in request): read from the shared cache."""
    key = current_campaign_key()
    found = shared_cache.get(key)
    if found is None:
        found = Campaign.objects.values_list(current_campaign_id(), flat=True).first() or 0
        shared_cache.set(key, found, CURRENT_CAMPAIGN_CACHE_SECONDS)
    return found or None


def current_campaign_key() -> str:
    return f"submissions:current-campaign:{timezone.localdate().isoformat()}"


def current_campaign() -> Campaign | None:
    """The campaign in progress (or the next one); see current_campaign_id."""
    return Campaign.objects.filter(pk=current_campaign_id()).first()


@dataclass(frozen=True)
class SimilarDossier:
    dossier: Dossier
    similarity: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


class SimilarFound(list):
    """The similar dossiers found, best first; `timed_out` when the look-up gave up (the page says
    so rather than «nothing similar»)."""

    timed_out = False


SIMILARITY_THRESHOLD = 0.3  # pg_trgm's own default for the % operator
SHORT_QUERY_WORDS = 3
# Bounds of one look-up on PostgreSQL, whatever the data: the first SIMILAR_CANDIDATES rows over the
# threshold (found through the trigram indexes) are ranked, not every one, and the look-up gives up
# after SIMILAR_TIMEOUT_MS. Generated data whose summaries share most sentences put nearly every row
# over the threshold: ranking them all took 14–27 s per dossier page at 100,000 dossiers.
SIMILAR_CANDIDATES = 20
SIMILAR_TIMEOUT_MS = 300


def similar_dossiers(
    text: str, *, title: str | None = None, exclude_id: int | None = None, limit: int = 5
) -> SimilarFound:
    """Earlier dossiers (any year, any unit, neither drafts nor withdrawn) that look like this one,
    ignoring diacritics and case. `text` (title and summary together) is compared with theirs; when
    `title` is given, titles are also compared on their own and the better figure counts, so a long
    summary cannot hide a near-identical title. pg_trgm's similarity on PostgreSQL (the % operator,
    GIN-indexed, bounded: SIMILAR_CANDIDATES, SIMILAR_TIMEOUT_MS); the same measure in Python on SQLite."""
    folded_text = fold(text)
    folded_title = fold(title) if title else ""
    if len(folded_text) < 4:
        return SimilarFound()
    candidates = Dossier.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    typed = words(title or text)
    short = bool(typed) and len(typed) <= SHORT_QUERY_WORDS

    def look_up() -> SimilarFound:
        found = SimilarFound(_alike(candidates, folded_text, folded_title, limit))
        # A short title («Nuôi tôm sú») shares too few trigrams with a whole title and summary to pass
        # the threshold: earlier titles holding every word typed are shown too.
        if short and len(found) < limit:
            seen = [item.dossier.pk for item in found]
            extra = (
                candidates.filter(_title_words(typed))
                .exclude(pk__in=seen)
                .select_related("unit", "campaign")
                .order_by("-id")[: limit - len(found)]
            )
            found += [
                SimilarDossier(row, trigram_similarity(" ".join(typed), row.search_title)) for row in extra
            ]
        return found

    if connection.vendor != "postgresql":
        return look_up()
    return _within_timeout(look_up)


def _title_words(typed: list[str]) -> Q:
    """Titles holding every word typed. On PostgreSQL the words' GIN index on search_text narrows
    (a title's words are in search_text), then the title itself is checked on those rows only."""
    query = " ".join(typed)
    if connection.vendor != "postgresql":
        return words_condition("search_title", query)
    in_text = word_prefixes_condition(query, words="search_words", text="search_text")
    return in_text & words_condition("search_title", query)


def _within_timeout(look_up) -> SimilarFound:
    """Runs the look-up under SET LOCAL statement_timeout in a transaction (a savepoint inside one)
    that is then rolled back, so the timeout ends with it; a look-up that runs out of time gives an
    empty, `timed_out` answer instead of holding the worker."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{SIMILAR_TIMEOUT_MS}ms"])
            found = look_up()
            transaction.set_rollback(True)  # it only read: rolling back ends the SET LOCAL
        return found
    except OperationalError:  # QueryCanceled: the timeout
        gave_up = SimilarFound()
        gave_up.timed_out = True
        return gave_up


def _alike(candidates, folded_text: str, folded_title: str, limit: int) -> list[SimilarDossier]:
    if connection.vendor == "postgresql":
        match = Q(search_text__trigram_similar=folded_text)
        similarity = TrigramSimilarity("search_text", folded_text)
        if folded_title:
            match |= Q(search_title__trigram_similar=folded_title)
            similarity = Greatest(similarity, TrigramSimilarity("search_title", folded_title))
        # No ORDER BY here: the scan stops at the SIMILAR_CANDIDATES-th row over the threshold.
        first = candidates.filter(match).order_by().values("pk")[:SIMILAR_CANDIDATES]
        rows = (
            Dossier.objects.filter(pk__in=first)
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
