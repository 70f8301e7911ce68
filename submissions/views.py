"""Dossier pages. Each view: parse, check permission, call one service, render. A page's own gate is
its `@requires` predicate (403); a dossier's is its loader, dossier_for_user (404 to whoever may not
see it, with no hint that it exists; 403 to whoever sees it but may not take the action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dksangtao.access import requires
from dksangtao.files import stored_file_response
from dksangtao.forms import PICKER_SUGGESTIONS, picker_options
from dksangtao.lists import COUNT_LIMIT, Listing
from dksangtao.registry import dossier_panels
from dksangtao.text import parse_id
from submissions.exports import DOSSIER_COLUMNS
from submissions.filters import DossierFilter, ReviewQueueFilter
from submissions.forms import (
    AttachmentForm,
    AuthorFormSet,
    DossierForm,
    ReasonForm,
    RecogniseForm,
    author_initial,
)
from submissions.permissions import may_prepare, may_review, may_see_dossiers
from submissions.selectors import (
    attachment_for_user,
    current_campaign,
    dossier_for_user,
    dossier_list,
    dossier_trail,
    list_units,
    return_reason,
    review_queue,
    similar_dossiers,
    staff_units,
    units_matching,
)
from submissions.services import (
    ActionRefused,
    attachment_add,
    attachment_remove,
    dossier_create,
    dossier_missing_items,
    dossier_nominate,
    dossier_recognise,
    dossier_return,
    dossier_submit,
    dossier_update,
    dossier_withdraw,
    submission_deadline,
)


@requires(may_see_dossiers)
def dossier_list_view(request):
    listing = Listing(
        request,
        dossier_list(request.user),
        filterset_class=DossierFilter,
        filterset_kwargs={
            "units": list_units(request.user),
            "unit_lookup_url": reverse("submissions:unit_lookup"),
        },
        count_limit=COUNT_LIMIT,
    )
    if listing.export_format:
        return listing.export(DOSSIER_COLUMNS, filename="ho-so-sang-kien", title=_("Hồ sơ sáng kiến"))
    context = {"listing": listing, "can_create": may_prepare(request.user)}
    return render(request, "submissions/dossier_list.html", context, status=listing.status)


@require_safe
@requires(may_see_dossiers)
def unit_lookup_view(request):
    """The list's unit picker, as the person types (htmx): the <option>s of at most PICKER_SUGGESTIONS
    of their units matching what is typed (by code or name, with or without diacritics)."""
    typed = request.GET.get("unit", "")[:100].replace("\x00", "")
    found = units_matching(list_units(request.user), typed)[:PICKER_SUGGESTIONS]
    return HttpResponse(picker_options((code, name) for _pk, code, name in found))


@requires(may_review)
def review_queue_view(request):
    listing = Listing(
        request, review_queue(request.user), filterset_class=ReviewQueueFilter, count_limit=COUNT_LIMIT
    )
    if listing.export_format:
        return listing.export(DOSSIER_COLUMNS, filename="ho-so-cho-xet-duyet", title=_("Chờ xét duyệt"))
    return render(request, "submissions/review_queue.html", {"listing": listing}, status=listing.status)


def _render_form(request, form, formset, dossier=None, status=200):
    title = form["title"].value() or ""
    text = f"{title} {form['summary'].value() or ''}"
    context = {
        "form": form,
        "formset": formset,
        "dossier": dossier,
        "similar": similar_dossiers(text, title=title, exclude_id=dossier.pk if dossier else None),
    }
    return render(request, "submissions/dossier_form.html", context, status=status)


@requires(may_prepare)
def dossier_create_view(request):
    units = staff_units(request.user)
    if not units:  # every unit this person prepares for has been closed
        raise PermissionDenied
    campaign = current_campaign()
    if campaign is None:
        messages.error(
            request, _("Chưa có đợt xét chọn nào; Ban Thường trực cần tạo đợt trước khi lập hồ sơ.")
        )
        return redirect("submissions:list")
    unit_choice = units if len(units) > 1 else None
    if request.method == "POST":
        form = DossierForm(request.POST, units=unit_choice)
        formset = AuthorFormSet(request.POST, prefix="authors")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
            unit = form.cleaned_data.get("unit") or units[0]
            dossier = dossier_create(
                campaign=campaign, unit=unit, actor=request.user, data=data, authors=formset.authors()
            )
            messages.success(request, _("Đã lưu bản nháp. Hãy đính kèm tài liệu rồi nộp hồ sơ."))
            return redirect("submissions:detail", pk=dossier.pk)
        return _render_form(request, form, formset, status=400)
    form = DossierForm(units=unit_choice)
    formset = AuthorFormSet(prefix="authors")
    return _render_form(request, form, formset)


@login_required
def dossier_edit_view(request, pk):
    if request.method != "POST":
        dossier, _scope = dossier_for_user(request.user, pk, action="edit")
    else:
        # The unit's staff may post even if a colleague has just submitted: the service refuses and
        # the page comes back with everything typed (409), rather than a bare 403.
        dossier, scope = dossier_for_user(request.user, pk)
        if dossier.unit_id not in scope.staff_units:
            raise PermissionDenied
    if request.method == "POST":
        form = DossierForm(request.POST, instance=dossier)
        formset = AuthorFormSet(request.POST, prefix="authors")
        if form.is_valid() and formset.is_valid():
            try:
                dossier_update(
                    dossier=dossier, actor=request.user, data=form.cleaned_data, authors=formset.authors()
                )
            except ActionRefused as refused:
                messages.error(request, str(refused))
                return _render_form(request, form, formset, dossier, status=409)
            messages.success(request, _("Đã lưu hồ sơ."))
            return redirect("submissions:detail", pk=dossier.pk)
        return _render_form(request, form, formset, dossier, status=400)
    form = DossierForm(instance=dossier)
    formset = AuthorFormSet(prefix="authors", initial=author_initial(dossier))
    return _render_form(request, form, formset, dossier)


def _render_detail(request, dossier, scope, *, forms=None, status=200):
    actions = scope.actions(dossier)
    forms = forms or {}
    events = list(dossier_trail(dossier))
    context = {
        "dossier": dossier,
        "actions": actions,
        "authors": dossier.authors.all(),
        "attachments": dossier.attachments.all(),
        "events": events,
        "show_confidential": scope.sees_confidential(dossier),
        "return_reason": return_reason(dossier, events) if dossier.status == "returned" else "",
        "missing": dossier_missing_items(dossier) if "submit" in actions else [],
        "deadline": submission_deadline(campaign=dossier.campaign, unit=dossier.unit),
        "return_form": forms.get("return") or ReasonForm(prefix="return"),
        "withdraw_form": forms.get("withdraw") or ReasonForm(prefix="withdraw"),
        "recognise_form": forms.get("recognise") or RecogniseForm(prefix="recognise"),
        "attachment_form": forms.get("attach") or AttachmentForm(),
        "panels": dossier_panels(dossier, request.user),
    }
    return render(request, "submissions/dossier_detail.html", context, status=status)


@login_required
def dossier_detail_view(request, pk):
    dossier, scope = dossier_for_user(request.user, pk)
    return _render_detail(request, dossier, scope)


def _act(request, pk, action, run, success, form_class=None):
    """Shared by the action views: permission, the form (if any), the service, the message."""
    dossier, scope = dossier_for_user(request.user, pk, action=action)
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is not None and not form.is_valid():
        return _render_detail(request, dossier, scope, forms={action: form}, status=400)
    try:
        run(dossier, form.cleaned_data if form else {})
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return _render_detail(request, dossier, scope, forms={action: form} if form else None, status=409)
    messages.success(request, success)
    return redirect("submissions:detail", pk=dossier.pk)


@require_POST
@login_required
def dossier_submit_view(request, pk):
    return _act(
        request,
        pk,
        "submit",
        lambda dossier, data: dossier_submit(dossier=dossier, actor=request.user),
        _("Đã nộp hồ sơ. Lãnh đạo đơn vị sẽ nhận được thông báo."),
    )


@require_POST
@login_required
def dossier_withdraw_view(request, pk):
    return _act(
        request,
        pk,
        "withdraw",
        lambda dossier, data: dossier_withdraw(dossier=dossier, actor=request.user, reason=data["reason"]),
        _("Đã rút hồ sơ."),
        ReasonForm,
    )


@require_POST
@login_required
def dossier_return_view(request, pk):
    return _act(
        request,
        pk,
        "return",
        lambda dossier, data: dossier_return(dossier=dossier, actor=request.user, reason=data["reason"]),
        _("Đã trả lại hồ sơ cho đơn vị kèm lý do."),
        ReasonForm,
    )


@require_POST
@login_required
def dossier_recognise_view(request, pk):
    return _act(
        request,
        pk,
        "recognise",
        lambda dossier, data: dossier_recognise(
            dossier=dossier, actor=request.user, grade=data["grade"], reason=data["reason"]
        ),
        _("Đã công nhận hồ sơ ở cấp đơn vị."),
        RecogniseForm,
    )


@require_POST
@login_required
def dossier_nominate_view(request, pk):
    return _act(
        request,
        pk,
        "nominate",
        lambda dossier, data: dossier_nominate(dossier=dossier, actor=request.user),
        _("Đã đề cử hồ sơ lên tỉnh."),
    )


@require_POST
@login_required
def attachment_upload_view(request, pk):
    dossier, scope = dossier_for_user(request.user, pk, action="attach")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, dossier, scope, forms={"attach": form}, status=400)
    try:
        attachment = attachment_add(dossier=dossier, upload=form.cleaned_data["file"], actor=request.user)
    except ActionRefused as refused:
        form.add_error("file", str(refused))
        return _render_detail(request, dossier, scope, forms={"attach": form}, status=400)
    messages.success(request, _("Đã đính kèm tệp «%(name)s».") % {"name": attachment.original_name})
    return redirect("submissions:detail", pk=dossier.pk)


@require_safe
@login_required
def attachment_download_view(request, pk, attachment_id):
    return stored_file_response(attachment_for_user(request.user, pk, attachment_id))


@require_POST
@login_required
def attachment_delete_view(request, pk, attachment_id):
    attachment = attachment_for_user(request.user, pk, attachment_id, action="attach")
    try:
        attachment_remove(attachment=attachment, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã xóa tệp «%(name)s».") % {"name": attachment.original_name})
    return redirect("submissions:detail", pk=pk)


@require_safe
@requires(may_see_dossiers)
def similar_view(request):
    """htmx: similar earlier dossiers while the form is being typed."""
    title = request.GET.get("title", "")
    text = f"{title} {request.GET.get('summary', '')}"
    similar = similar_dossiers(text, title=title, exclude_id=parse_id(request.GET.get("exclude")))
    return render(request, "submissions/_similar.html", {"similar": similar})


@require_safe
@login_required
def dossier_similar_view(request, pk):
    """htmx: the dossier page's «Hồ sơ tương tự», asked for once the page has loaded, so the page
    never waits for the look-up (bounded in similar_dossiers)."""
    dossier, _scope = dossier_for_user(request.user, pk)
    similar = similar_dossiers(
        f"{dossier.title} {dossier.summary}", title=dossier.title, exclude_id=dossier.pk
    )
    return render(request, "submissions/_similar.html", {"similar": similar})
