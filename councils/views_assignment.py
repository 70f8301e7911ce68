"""The secretary's assignment board (the automatic run and hand edits) and the member's declaration of
a conflict of interest. The rules and the algorithm live in councils/assignment.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from councils.assignment import (
    PAGE_SIZE as BOARD_PAGE_SIZE,
)
from councils.assignment import (
    AutoResult,
    assignment_add,
    assignment_auto,
    assignment_board,
    assignment_declare_conflict,
    assignment_remove,
    board_dossiers,
)
from councils.filters import BoardFilter
from councils.models import SCORING_ROLES, Assignment, CouncilMember
from councils.permissions import council_of, may_screen
from councils.selectors import assignment_for_member, dossier_of_council
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.forms import BoundedTextMixin
from dksangtao.lists import Listing

SHORTFALLS_LISTED = 10


class AddMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label=gettext_lazy("Thành viên"),
        queryset=CouncilMember.objects.none(),
        error_messages={
            "required": gettext_lazy("Vui lòng chọn một thành viên Hội đồng để phân công."),
            "invalid_choice": gettext_lazy("Thành viên đã chọn không thuộc Hội đồng của đợt này."),
        },
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = CouncilMember.objects.filter(council=council, role__in=SCORING_ROLES)


class ConflictForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do xung đột lợi ích"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Ví dụ: là đồng tác giả, người thân của tác giả, hoặc từng tham gia xây dựng giải pháp. "
            "Thư ký Hội đồng sẽ phân công người khác chấm hồ sơ này."
        ),
        error_messages={"required": gettext_lazy("Vui lòng ghi lý do xung đột lợi ích.")},
    )


def _back(request, dossier_pk=None):
    """Back to the board, on the page and filters the secretary came from (our own path; only the
    query string comes from the request)."""
    url = reverse("councils:assignments")
    if request.GET:
        url += f"?{request.GET.urlencode()}"
    return redirect(f"{url}#ho-so-{dossier_pk}" if dossier_pk else url)


def _auto_message(result: AutoResult) -> str:
    if not result.shortfalls:
        return _("Đã phân công %(n)s lượt chấm; mọi hồ sơ đã đủ người.") % {"n": result.created}
    listed = [f"{reference} ({shortfall.why()})" for reference, shortfall in result.shortfalls]
    if len(listed) > SHORTFALLS_LISTED:
        rest = len(listed) - SHORTFALLS_LISTED
        listed = [*listed[:SHORTFALLS_LISTED], _("và %(n)s hồ sơ khác") % {"n": rest}]
    return _("Đã phân công %(n)s lượt chấm; %(m)s hồ sơ chưa đủ người: %(list)s.") % {
        "n": result.created,
        "m": len(result.shortfalls),
        "list": "; ".join(listed),
    }


@require_safe
@requires(may_screen)
def assignments_view(request):
    council = council_of(request.user)
    listing = Listing(
        request,
        board_dossiers(council),
        filterset_class=BoardFilter,
        filterset_kwargs={"council": council},
        page_size=BOARD_PAGE_SIZE,
    )
    context = {
        "council": council,
        "board": assignment_board(council, listing.page),
        "listing": listing,
        "page": listing.page,
        "here": request.GET.urlencode(),
    }
    return render(request, "councils/assignments.html", context, status=listing.status)


@require_POST
@requires(may_screen)
def auto_assign_view(request):
    council = council_of(request.user)
    result = assignment_auto(council=council, actor=request.user)
    if result.shortfalls:
        messages.warning(request, _auto_message(result))
    else:
        messages.success(request, _auto_message(result))
    return _back(request)


@require_POST
@requires(may_screen)
def assignment_add_view(request, dossier_pk):
    council = council_of(request.user)
    dossier = dossier_of_council(council, dossier_pk)
    form = AddMemberForm(request.POST, council=council)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["member"]))
        return _back(request, dossier.pk)
    member = form.cleaned_data["member"]
    try:
        assignment_add(dossier=dossier, member=member, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã phân công %(name)s chấm hồ sơ %(ref)s.")
            % {"name": member.user.full_name, "ref": dossier.reference},
        )
    return _back(request, dossier.pk)


@require_POST
@requires(may_screen)
def assignment_remove_view(request, pk):
    assignment = (
        Assignment.objects.select_related("council", "dossier", "member__user")
        .filter(pk=pk, council=council_of(request.user))
        .first()
    )
    if assignment is None:
        raise Http404
    try:
        assignment_remove(assignment=assignment, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã bỏ phân công %(name)s khỏi hồ sơ %(ref)s.")
            % {"name": assignment.member.user.full_name, "ref": assignment.dossier.reference},
        )
    return _back(request, assignment.dossier_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required  # the loader answers 404 to anyone but the assigned member
def conflict_view(request, pk):
    """Only the assigned member sees this page; for anyone else the assignment does not exist."""
    assignment = assignment_for_member(request.user, pk, active_only=False)
    form = ConflictForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assignment_declare_conflict(
                    assignment=assignment, member_user=request.user, reason=form.cleaned_data["reason"]
                )
            except ActionRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Đã ghi nhận khai báo xung đột lợi ích với hồ sơ %(ref)s; "
                        "Thư ký Hội đồng sẽ phân công người khác."
                    )
                    % {"ref": assignment.dossier.reference},
                )
                return redirect("dashboard")
        else:
            status = 400
    return render(request, "councils/conflict.html", {"assignment": assignment, "form": form}, status=status)
