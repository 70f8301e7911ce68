"""Who may do what on the appraisal council (SPEC §1, §4).

Authority comes from the council itself — the current campaign's council and a person's place on it
(CouncilMember.role) — never from a portal role:
- its secretary screens nominated dossiers, assigns scorers, chases progress, announces the results,
  answers appeals and sets up the council and its rubric (with the Front admins, who found councils);
- its chair reopens a submitted sheet and signs off the results;
- its members and vice-chairs score what they are assigned;
- the secretary and the chair read the results, the calibration and the minutes, and the nominated
  dossiers of their council's campaign.
"""

from django.core.cache import cache as shared_cache
from django.utils.translation import gettext_lazy as _

from accounts.selectors import MEMBERSHIPS_CACHE_SECONDS, RoleCard, access_cache, access_key, has_role
from councils.models import SCORING_ROLES, Council, CouncilMember, MemberRole
from dksangtao.roles import Role
from submissions.selectors import current_campaign_pk

READING_ROLES = (MemberRole.SECRETARY, MemberRole.CHAIR)


def council_places(user) -> list[CouncilMember]:
    """The person's places on councils, the current campaign's flagged (`is_current`), each with its
    council's campaign id (`campaign_id`: a council never changes campaign). Read once per request —
    the menu, the dossier scope and the council's pages all ask — and kept between requests in the
    shared cache as the places' own rows, under a key that every change of a place replaces
    (councils.receivers → forget_access). The councils themselves are not kept (their state — the
    announcement, the name — changes without the places): council_of() reads the current one."""
    if not user.is_authenticated:
        return []
    cache = access_cache(user)
    if "council_places" not in cache:
        key = f"councils:places:{access_key(user)}"
        rows = shared_cache.get(key)
        if rows is None:
            rows = list(
                CouncilMember.objects.filter(user=user).values_list(
                    "pk", "council_id", "council__campaign_id", "role", "home_unit_id"
                )
            )
            shared_cache.set(key, rows, MEMBERSHIPS_CACHE_SECONDS)
        current = current_campaign_pk()
        places = []
        for pk, council_id, campaign_id, role, home_unit_id in rows:
            place = CouncilMember(pk=pk, council_id=council_id, role=role, home_unit_id=home_unit_id)
            place._state.adding, place._state.db = False, "default"  # a row read, as from a query
            CouncilMember.user.field.set_cached_value(place, user)
            place.campaign_id = campaign_id
            place.is_current = campaign_id == current
            places.append(place)
        cache["council_places"] = places
    return cache["council_places"]


def current_place(user) -> CouncilMember | None:
    """The person's place on the current campaign's council, or None."""
    return next((place for place in council_places(user) if place.is_current), None)


def council_of(user) -> Council:
    """The current council of someone with a place on it — what every council page guarded by the
    predicates below works on — read with its campaign once per request."""
    place = current_place(user)
    if not CouncilMember.council.is_cached(place):
        CouncilMember.council.field.set_cached_value(
            place, Council.objects.select_related("campaign").get(pk=place.council_id)
        )
    return place.council


def council_role(user, council: Council | None = None) -> str | None:
    """The person's role on `council` (the current one by default), or None."""
    if council is None:
        place = current_place(user)
    else:
        place = next((p for p in council_places(user) if p.council_id == council.pk), None)
    return place.role if place else None


def is_secretary(user, council: Council | None = None) -> bool:
    return council_role(user, council) == MemberRole.SECRETARY


def is_chair(user, council: Council | None = None) -> bool:
    return council_role(user, council) == MemberRole.CHAIR


def may_screen(user) -> bool:
    """The eligibility screening, the assignment board, progress and reminders, announcing the
    results and answering appeals: the secretary's work."""
    return is_secretary(user)


def may_score(user) -> bool:
    return council_role(user) in SCORING_ROLES


def may_read_results(user) -> bool:
    return council_role(user) in READING_ROLES


def may_reopen_sheets(user) -> bool:
    return is_chair(user)


def may_found_councils(user) -> bool:
    """Founding councils, and setting up any campaign's council: the Front's standing committee."""
    return user.is_superuser or has_role(user, Role.FRONT_ADMIN)


def may_set_up_council(user) -> bool:
    """Members, roles and expertise of the council, and the rubric (in the admin for now); a
    secretary only the current council's (councils/admin.py)."""
    return may_found_councils(user) or is_secretary(user)


def council_reader_campaigns(user) -> set[int]:
    """The campaign whose nominated dossiers the person reads as the current council's secretary or
    chair; a past place reads nothing."""
    return {
        place.campaign_id
        for place in council_places(user)
        if place.is_current and place.role in READING_ROLES
    }


DUTIES = {
    MemberRole.CHAIR: _("Kết thúc phiên chấm, mở lại phiếu chấm đã nộp (có lý do) và ký duyệt kết quả."),
    MemberRole.VICE_CHAIR: _(
        "Chấm điểm trực tuyến các hồ sơ được phân công theo từng tiêu chí, kèm nhận xét; "
        "khai báo xung đột lợi ích."
    ),
    MemberRole.SECRETARY: _(
        "Thẩm tra điều kiện hồ sơ được đề cử, thiết lập Hội đồng và bộ tiêu chí, phân công "
        "thành viên chấm, đôn đốc tiến độ và lập biên bản."
    ),
    MemberRole.MEMBER: _(
        "Chấm điểm trực tuyến các hồ sơ được phân công theo từng tiêu chí, kèm nhận xét; "
        "khai báo xung đột lợi ích."
    ),
}
CARD_LABELS = {
    MemberRole.CHAIR: _("Chủ tịch Hội đồng"),
    MemberRole.VICE_CHAIR: _("Phó Chủ tịch Hội đồng"),
    MemberRole.SECRETARY: _("Thư ký Hội đồng"),
    MemberRole.MEMBER: _("Thành viên Hội đồng thẩm định sáng tạo"),
}


def council_role_cards(user) -> list[RoleCard]:
    """The dashboard's card for a place on the current council (dksangtao.registry)."""
    place = current_place(user)
    if place is None:
        return []
    return [
        RoleCard(
            role=f"council_{place.role}",
            label=CARD_LABELS[place.role],
            duties=DUTIES[place.role],
            note=council_of(user).name,
        )
    ]
