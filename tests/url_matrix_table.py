"""The URL matrix's table (issue #15, item 6): for every URL pattern of the portal, which object each
parameter names and which roles may get a 2xx for the own unit's objects and for another unit's.
Written from each app's permissions.py and its views' loaders; tests/test_url_matrix.py enumerates
the resolver and fails on a pattern missing here, on a row naming a pattern that no longer exists,
on any 5xx, and on any 2xx this table does not allow.

Roles: anon (not signed in), staff (unit staff of unit A), reviewer (unit reviewer of A), viewer
(department viewer of A), front (Front admin), maker / checker (fund), chair / secretary / member
(the current council), super (superuser without a portal role). "Own" objects belong to unit A (and
for the council, the member's own assignment); "other" objects to unit B, another member, or a past
campaign (for province-wide objects: the award list, the ranking run). The fund has no units: "own" is a
draft budget receipt with its voucher, "other" a posted donation with its voucher."""

from dataclasses import dataclass

ROLES = (
    "anon",
    "staff",
    "reviewer",
    "viewer",
    "front",
    "maker",
    "checker",
    "chair",
    "secretary",
    "member",
    "super",
)


def roles(spec: str) -> frozenset[str]:
    """ "front chair" → {"front", "chair"}; "*" everyone, anonymous included; "signed-in" everyone else."""
    if spec == "*":
        return frozenset(ROLES)
    if spec == "signed-in":
        return frozenset(ROLES) - {"anon"}
    names = frozenset(spec.split())
    unknown = names - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return names


@dataclass(frozen=True)
class Row:
    own: frozenset[str]
    other: frozenset[str]
    params: tuple[tuple[str, str], ...] = ()  # (parameter, object kind)
    post: bool = False  # GET is not allowed: POST without data instead (must change nothing if refused)
    head: bool = True  # HEAD answers as GET does to the roles that pass (False: a form page, HEAD is 405)


def row(
    own: str = "", other: str | None = None, *, post: bool = False, head: bool = True, **params: str
) -> Row:
    return Row(
        own=roles(own) if own else frozenset(),
        other=roles(own if other is None else other) if (other or own) else frozenset(),
        params=tuple(params.items()),
        post=post,
        head=head,
    )


PUBLIC = row("*")
NOBODY = row("")
FUND_READERS = "front maker checker"
COUNCIL_READERS = "chair secretary"

TABLE: dict[str, Row] = {
    # dksangtao, accounts
    "home": PUBLIC,
    "healthz": PUBLIC,
    "audit": row("front super"),
    "set_language": row("*", post=True),
    "dashboard": row("signed-in"),
    "login": PUBLIC,
    "logout": row("signed-in", post=True),
    "password_change": row("signed-in"),
    "password_change_done": row("signed-in"),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": row("*", uidb64="uid", token="token"),
    "password_reset_complete": PUBLIC,
    # the invitation's link is a password-reset link for an account without a password (own: a valid
    # token, other: a wrong one, which shows «link no longer valid»)
    "invitation_accept": row("*", uidb64="invite_uid", token="invite_token"),
    # accounts and sensitive roles: accounts.permissions.may_manage_people (a Front admin or a
    # superuser, with admin access); the requests are province-wide (own: unit A's, other: unit B's)
    "invite": row("front super"),
    "invitation_resend": row("front super", pk="invited", post=True),
    "role_requests": row("front super"),
    "role_request_new": row("front super", post=True),
    "role_request_approve": row("front super", pk="role_request", post=True),
    "role_request_reject": row("front super", pk="role_request", post=True),
    "role_request_cancel": row("front super", pk="role_request", post=True),
    # submissions
    "submissions:list": row("staff reviewer front chair secretary"),
    "submissions:unit_lookup": row("staff reviewer front chair secretary"),
    "submissions:review_queue": row("reviewer"),
    "submissions:create": row("staff"),
    "submissions:similar": row("staff reviewer front chair secretary"),
    "submissions:import": row("staff"),
    "submissions:import_template": row("staff"),
    "submissions:import_job": row("staff", "", token="import_job"),  # the uploader's own job only
    "submissions:detail": row("staff reviewer front chair secretary", "front chair secretary", pk="dossier"),
    "submissions:detail_similar": row(
        "staff reviewer front chair secretary", "front chair secretary", pk="dossier"
    ),  # the dossier page's «similar» box: whoever sees the dossier
    "submissions:edit": row("", pk="dossier"),
    "submissions:submit": row("", pk="dossier", post=True),
    "submissions:withdraw": row("", pk="dossier", post=True),
    "submissions:return": row("", pk="dossier", post=True),
    "submissions:recognise": row("", pk="dossier", post=True),
    "submissions:nominate": row("", pk="dossier", post=True),
    "submissions:attachment_upload": row("", pk="dossier", post=True),
    "submissions:attachment_download": row(
        "staff reviewer front chair secretary",
        "front chair secretary",
        pk="dossier",
        attachment_id="attachment",
    ),
    "submissions:attachment_delete": row("", pk="dossier", attachment_id="attachment", post=True),
    # councils
    "councils:screening_queue": row("secretary"),
    "councils:screening": row("secretary", pk="dossier"),
    "councils:assignments": row("secretary"),
    "councils:auto_assign": row("secretary", post=True),
    "councils:assignment_add": row("secretary", dossier_pk="dossier", post=True),
    "councils:assignment_remove": row("secretary", pk="assignment", post=True),
    "councils:conflict": row("member", "", pk="assignment"),
    "councils:scoring": row("member"),  # the chair does not score (SCORING_ROLES)
    "councils:sheet": row("member", "", pk="assignment"),
    "councils:attachment": row("member", "", pk="assignment", attachment_id="attachment"),
    "councils:calibration": row(COUNCIL_READERS),
    "councils:minutes": row(COUNCIL_READERS),
    "councils:results": row(COUNCIL_READERS),
    "councils:add_scorer": row("secretary", dossier_pk="dossier", post=True),
    "councils:progress": row("secretary"),
    "councils:reminders": row("secretary", post=True),
    "councils:announce": row("secretary", post=True),
    "councils:appeals": row("secretary"),
    "councils:appeal_answer": row("secretary", pk="appeal", post=True),
    "councils:appeal_lodge": row("reviewer", "", dossier_pk="dossier"),
    "councils:reopen": row("chair", pk="sheet", post=True),
    # awards (staff pages: Front admins only)
    "awards:index": row("front"),
    "awards:policy": row("front"),
    "awards:ranking_start": row("front", post=True),
    "awards:run": row("front", pk="run"),
    "awards:run_progress": row("front", pk="run"),
    "awards:list_draft": row("front", pk="run", post=True),
    "awards:list": row("front", pk="award_list"),
    "awards:honouree_add": row("front", pk="award_list", post=True),
    "awards:list_approve": row("front", pk="award_list", post=True),
    "awards:list_publish": row("front", pk="award_list", post=True),
    "awards:honouree_amend": row("front", pk="award_list", post=True),
    "awards:certificates": row("front", pk="award_list"),
    "awards:honouree_change": row("front", pk="honouree", post=True),
    "awards:honouree_remove": row("front", pk="honouree", post=True),
    "awards:upward": row("front"),
    "awards:upward_mark": row("front", post=True),
    "awards:upward_unmark": row("front", pk="nomination", post=True),
    "awards:upward_zip": row("front", pk="nomination", post=True),
    "awards:upward_target_zip": row("front", year="year", target="target", post=True),
    "awards:booklet_old": row("*", year="year"),
    "awards:booklet_photos": row("front", year="year"),
    "awards:honouree_photo": row("", pk="honouree"),  # no portrait uploaded: 404 (Front admins only)
    "awards:honouree_photo_upload": row("front", pk="honouree", post=True),
    "awards:honouree_photo_remove": row("front", pk="honouree", post=True),
    # awards, public pages: the published list (the "other" one, 2025) for everyone
    "awards_public:index": PUBLIC,
    "awards_public:year": row("", "*", year="year"),  # 2026 unpublished: 404 for all
    "awards_public:certificate": row("", "*", year="year", pk="honouree"),
    "awards_public:booklet": row("front", "*", year="year"),
    # fund (no unit: "own" is a draft with its voucher, "other" a posted transaction)
    "fund:overview": row(FUND_READERS),
    "fund:budget_new": row("maker"),
    "fund:donation_new": row("maker"),
    "fund:interest_new": row("maker"),
    "fund:payment_new": row("maker"),
    # permissions.may_draft_prize_batch names the Front admins too, but the view asks may_draft.
    "fund:prize_batch_new": row("maker"),
    "fund:approvals": row("checker front"),
    "fund:transaction": row(FUND_READERS, pk="transaction"),
    "fund:approve": row("checker front", pk="transaction", post=True),
    "fund:reject": row("checker front", pk="transaction", post=True),
    "fund:reverse": row("maker", pk="transaction", post=True),
    "fund:thank_you": row("", FUND_READERS, pk="transaction"),  # a posted donation only
    "fund:voucher": row(FUND_READERS, pk="voucher"),
    "fund:ledger": row(FUND_READERS, code="ledger"),
    "fund:statement": row(FUND_READERS),
    "fund:statement_pdf": row(FUND_READERS),
    "fund:statement_xlsx": row(FUND_READERS),
    # the fund's old Vietnamese paths: a permanent redirect for everyone (the new page checks)
    "fund/thu/ngan-sach/": PUBLIC,
    "fund/thu/tai-tro/": PUBLIC,
    "fund/thu/lai-tien-gui/": PUBLIC,
    "fund/chi/": PUBLIC,
    "fund/chi/giai-thuong/": PUBLIC,
    "fund/cho-duyet/": PUBLIC,
    "fund/chung-tu/<int:pk>/": row("*", pk="transaction"),
    "fund/chung-tu/<int:pk>/thu-cam-on.pdf": row("*", pk="transaction"),
    "fund/tep/<int:pk>/": row("*", pk="voucher"),
    "fund/so-cai/<str:code>/": row("*", code="ledger"),
    "fund/bao-cao/": PUBLIC,
    "fund/bao-cao/pdf/": PUBLIC,
    "fund/bao-cao/xlsx/": PUBLIC,
    # reports
    "reports:centre": row("reviewer viewer front"),
    "reports:request": row("reviewer viewer front", post=True),
    "reports:export_all": row("front", post=True),
    "reports:job_status": row("reviewer viewer front", "front", pk="report_job"),
    "reports:retry": row("reviewer viewer front", "front", pk="report_job", post=True),
    "reports:download": row("reviewer viewer front", "front", pk="report_job"),
    "reports:statistics": row("reviewer viewer front"),
    # the public database
    "public:search": PUBLIC,
    "public:statistics": PUBLIC,
    "public:mark": row("front", dossier_id="dossier", post=True),
    "public:record": row("*", reference="record"),
    "public:print": row("*", reference="record"),
    "public:withdraw": row("front", reference="record", post=True),
    "applications:queue": row("reviewer"),
    "applications:mine": row("staff"),
    "applications:record": row("staff", reference="record"),
    "applications:confirm": row("reviewer", "", pk="application", post=True),
    "applications:reject": row("reviewer", "", pk="application", post=True),
    "opendata:index": PUBLIC,
    "opendata:download": row("*", fmt="format"),
    "api:record_list": PUBLIC,
    "api:record_detail": row("*", reference="record"),
    "api:award_year": row("", "*", year="year"),
    "api:statistics": PUBLIC,
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    "feed": PUBLIC,
    "sitemap": PUBLIC,
    "sitemap_section": row("*", section="sitemap_section"),
    "robots": PUBLIC,
}

# The admin: who may open each registered model's pages (Django's model permissions: the Front
# admins' group, the council's secretary through councils.backends, superusers everything).
# model label → (view/change/history, add, delete)
FRONT_SETS_UP = ("front super", "front super", "super")
COUNCIL_SETUP = ("front secretary super", "front secretary super", "front secretary super")
READ_ONLY = ("super", "", "")  # the admin shows them, nobody adds or deletes there
ADMIN_MODELS: dict[str, tuple[str, str, str | tuple[str, str]]] = {  # a pair: (own, other)
    "auth_group": ("super", "super", "super"),
    "dksangtao_auditevent": ("super", "", ""),
    "accounts_unit": FRONT_SETS_UP,
    "accounts_user": FRONT_SETS_UP,
    # own: unit A's clerk's role; other: the second Front admin's, a sensitive role, which is revoked
    # through a role request: only a superuser deletes it in the admin (break glass)
    "accounts_membership": ("front super", "front super", ("front super", "super")),
    "submissions_campaign": FRONT_SETS_UP,
    "submissions_deadlineextension": FRONT_SETS_UP,
    "submissions_field": FRONT_SETS_UP,
    "submissions_dossierkind": FRONT_SETS_UP,
    "councils_council": ("front secretary super", "front super", "front super"),
    "councils_rubric": COUNCIL_SETUP,
    "councils_criterion": COUNCIL_SETUP,
    "fund_account": READ_ONLY,
    "fund_transaction": READ_ONLY,
    "fund_voucher": READ_ONLY,
    "reports_reportjob": READ_ONLY,
    # failed logins (django-axes): seen and lifted («Mở khóa», the delete) by may_manage_people
    "axes_accessattempt": ("front super", "", "front super"),
}
ADMIN_STAFF = "front secretary super"
ADMIN_PAGES: dict[str, Row] = {
    "admin:index": row(ADMIN_STAFF),
    "admin:login": PUBLIC,
    "admin:logout": row("*", post=True),
    "admin:password_change": row(ADMIN_STAFF),
    "admin:password_change_done": row(ADMIN_STAFF),
    "admin:autocomplete": NOBODY,  # without its parameters: 403 for everyone
    "admin:jsi18n": row(ADMIN_STAFF),
    "admin:view_on_site": row("", content_type_id="content_type", object_id="unit_pk"),  # no page to view
    "admin:app_list": row("front super", "super", app_label="app_label"),  # accounts; fund
    "admin/(?P<url>.*)$": row("", url="admin_path"),  # 404 for everyone
    # accounts.admin.UserAdmin.user_change_password: PermissionDenied for anyone but a superuser
    "admin:auth_user_password_change": row("super", id="user_pk"),
}


def admin_rows(model_urls: dict[str, list[tuple[str, str]]]) -> dict[str, Row]:
    """The rows of each registered model's admin pages, from ADMIN_MODELS; `model_urls` maps a model
    label to its patterns (key, view: changelist, add, history, delete, change or redirect)."""
    rows = {}
    for label, patterns in model_urls.items():
        if label not in ADMIN_MODELS:
            continue  # the test reports the missing patterns
        see, add, delete = ADMIN_MODELS[label]
        for key, view in patterns:
            # «/admin/<model>/<id>/» only redirects to the change page, which checks.
            who = {"add": add, "delete": delete, "redirect": ADMIN_STAFF}.get(view, see)
            params = {} if view in ("changelist", "add") else {"object_id": f"admin:{label}"}
            own, other = who if isinstance(who, tuple) else (who, who)
            rows[key] = row(own, other, **params)
    return rows
