"""The role and permission vocabulary of the portal, in one place (SPEC §1).

A person holds roles through memberships (user × unit × role) and may hold several, in several
units. Unit-scoped roles are granted as django-guardian object permissions on the unit; a reviewer's
or a department's permission on a unit also covers that unit's child units (see
accounts.selectors.unit_ids_with_perm). Province-wide roles act for the whole campaign, whatever
unit they sit in.

The appraisal council's roles (chair, secretary, member) are not portal roles: they come from the
campaign's council itself (councils.models.CouncilMember), read by councils/permissions.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")
    UNIT_REVIEWER = "unit_reviewer", _("Lãnh đạo / đầu mối thi đua đơn vị")
    FRONT_ADMIN = "front_admin", _("Ban Thường trực UB MTTQ")
    FUND_MAKER = "fund_maker", _("Kế toán Quỹ (lập chứng từ)")
    FUND_CHECKER = "fund_checker", _("Kiểm soát Quỹ (duyệt chứng từ)")
    DEPARTMENT_VIEWER = "department_viewer", _("Sở, ban, ngành, địa phương (xem báo cáo)")


# Roles that move money or run the portal: granting or revoking one is a request that a second,
# different Front admin (or a superuser) approves (accounts.services.role_request_*); the admin's
# membership page refuses them to anyone but a superuser (the audited break-glass path).
SENSITIVE_ROLES = frozenset({Role.FRONT_ADMIN, Role.FUND_MAKER, Role.FUND_CHECKER})

# Never held by one person at once: whoever drafts the fund's vouchers does not also check them
# (the service refuses; on PostgreSQL an exclusion constraint, accounts migration 0005).
MUTUALLY_EXCLUSIVE_ROLES = frozenset({Role.FUND_MAKER, Role.FUND_CHECKER})

# Roles whose holders approve money (fund transactions, the award list that fixes prizes): a person
# may use them only MONEY_ROLE_COOLING_DAYS after the account was created and the role granted.
MONEY_APPROVER_ROLES = frozenset({Role.FUND_CHECKER, Role.FRONT_ADMIN})


# Object permissions on accounts.Unit (declared in Unit.Meta.permissions).
PREPARE_DOSSIERS = "prepare_dossiers"
VIEW_UNIT_DOSSIERS = "view_unit_dossiers"
REVIEW_DOSSIERS = "review_dossiers"
VIEW_UNIT_REPORTS = "view_unit_reports"

UNIT_PERMISSIONS = [
    (PREPARE_DOSSIERS, _("Lập, sửa và nộp hồ sơ sáng kiến của đơn vị")),
    (VIEW_UNIT_DOSSIERS, _("Xem hồ sơ sáng kiến của đơn vị, kể cả bản nháp")),
    (REVIEW_DOSSIERS, _("Xét duyệt, trả lại và đề cử hồ sơ của đơn vị và đơn vị trực thuộc")),
    (VIEW_UNIT_REPORTS, _("Xem và tải báo cáo tổng hợp của đơn vị và đơn vị trực thuộc")),
]

# Permissions that reach down the unit tree: a reviewer of the Department of Education reviews its
# schools too, and its report covers them (seed plan, III.4). Staff act for their own unit only.
INHERITED_UNIT_PERMISSIONS = frozenset({REVIEW_DOSSIERS, VIEW_UNIT_REPORTS})

ROLE_UNIT_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.UNIT_STAFF: frozenset({PREPARE_DOSSIERS, VIEW_UNIT_DOSSIERS}),
    # Reviewers see what was submitted (REVIEW_DOSSIERS), never the unit's drafts.
    Role.UNIT_REVIEWER: frozenset({REVIEW_DOSSIERS, VIEW_UNIT_REPORTS}),
    Role.DEPARTMENT_VIEWER: frozenset({VIEW_UNIT_REPORTS}),
}

ROLE_DUTIES: dict[str, str] = {
    Role.UNIT_STAFF: _(
        "Lập và chỉnh sửa hồ sơ sáng kiến của đơn vị, đính kèm tài liệu, nộp trước hạn, "
        "theo dõi trạng thái và bổ sung khi hồ sơ bị trả lại."
    ),
    Role.UNIT_REVIEWER: _(
        "Xét duyệt hồ sơ của đơn vị và đơn vị trực thuộc, trả lại kèm lý do, công nhận cấp đơn vị "
        "và đề cử hồ sơ tiêu biểu lên tỉnh; tải báo cáo tổng hợp của đơn vị."
    ),
    Role.FRONT_ADMIN: _(
        "Điều hành đợt xét chọn hằng năm, phê duyệt và công bố danh sách tôn vinh, đề cử lên "
        "Trung ương, phát hành ấn phẩm «Gương người Việt đoàn kết sáng tạo»."
    ),
    Role.FUND_MAKER: _("Lập chứng từ thu, chi của Quỹ «Người Việt Nam đoàn kết sáng tạo»."),
    Role.FUND_CHECKER: _("Kiểm soát và duyệt chứng từ thu, chi do người khác lập."),
    Role.DEPARTMENT_VIEWER: _("Tải báo cáo tổng hợp hằng năm (PDF, Excel) của đơn vị mình."),
}

# Setting up a council and its rubric in the admin: Front admins (their group) and the current
# council's secretary (councils.backends.CouncilSecretaryBackend).
COUNCIL_SETUP_PERMISSIONS = [
    f"councils.{action}_{model}"
    for model in ("council", "councilmember", "rubric", "criterion", "band")
    for action in ("view", "add", "change", "delete")
]

# Model permissions (Django admin) that come with a role, through a group named after it.
ROLE_ADMIN_PERMISSIONS: dict[str, list[str]] = {
    Role.FRONT_ADMIN: [
        "accounts.view_unit",
        "accounts.add_unit",
        "accounts.change_unit",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_membership",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.delete_membership",
        "submissions.view_campaign",
        "submissions.add_campaign",
        "submissions.change_campaign",
        "submissions.view_deadlineextension",
        "submissions.add_deadlineextension",
        "submissions.change_deadlineextension",
        "submissions.view_field",
        "submissions.add_field",
        "submissions.change_field",
        "submissions.view_dossierkind",
        "submissions.add_dossierkind",
        "submissions.change_dossierkind",
        *COUNCIL_SETUP_PERMISSIONS,
    ],
}
