"""Front admins' pages for the nomination upward (mark, unmark, the ZIPs) and the booklet's portraits
(the booklet itself is a public page: awards.views_public). Each view: check the role, parse, call
one service, render. Downloading a ZIP is a POST: it records the export (the mark stays from then on)."""

import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from awards import booklet, upward
from awards.forms_upward import MarkForm, PhotoForm
from awards.models import UpwardNomination
from awards.permissions import may_run_awards
from awards.selectors import campaign_by_year, chosen_campaign, honouree_for_user, nomination_for_user
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.files import stored_file_response
from submissions.models import Campaign


def _upward_url(campaign: Campaign) -> str:
    return f"{reverse('awards:upward')}?campaign={campaign.year}"


def _upward_page(request, campaign, *, form=None, error=None, status=200):
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year"),
        "candidates": upward.upward_candidates(campaign),
        "groups": upward.nominations_by_target(campaign),
        "targets": UpwardNomination.Target.choices,
        "form": form,
        "error": error,
    }
    return render(request, "awards/upward.html", context, status=status)


def _zip_response(write, filename: str) -> FileResponse:
    """The ZIP spooled to a temporary file (attachments can be large), then streamed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it once streamed
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")


# Nomination upward -------------------------------------------------------------------------------


@require_safe
@requires(may_run_awards)
def upward_view(request):
    return _upward_page(request, chosen_campaign(request))


@require_POST
@requires(may_run_awards)
def upward_mark_view(request):
    campaign = chosen_campaign(request)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _upward_page(request, campaign, form=form, status=400)
    try:
        nomination = upward.upward_mark(
            campaign=campaign,
            dossier_id=form.cleaned_data["dossier"],
            target=form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ActionRefused as refused:
        return _upward_page(request, campaign, error=str(refused), status=409)
    messages.success(
        request,
        _("Đã đề cử hồ sơ %(ref)s lên %(target)s.")
        % {"ref": nomination.dossier.reference, "target": nomination.get_target_display()},
    )
    return redirect(_upward_url(campaign))


@require_POST
@requires(may_run_awards)
def upward_unmark_view(request, pk):
    nomination = nomination_for_user(request.user, pk)
    try:
        upward.upward_unmark(nomination=nomination, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_upward_url(nomination.campaign))
    messages.success(
        request,
        _("Đã bỏ đề cử hồ sơ %(ref)s lên %(target)s.")
        % {"ref": nomination.dossier.reference, "target": nomination.get_target_display()},
    )
    return redirect(_upward_url(nomination.campaign))


@require_POST
@requires(may_run_awards)
def upward_zip_view(request, pk):
    nomination = nomination_for_user(request.user, pk)
    upward.upward_exported(nominations=[nomination], actor=request.user)
    return _zip_response(
        lambda out: upward.nomination_zip(nomination, out), upward.nomination_zip_name(nomination)
    )


@require_POST
@requires(may_run_awards)
def upward_target_zip_view(request, year, target):
    campaign = campaign_by_year(year)
    try:
        nominations = upward.target_nominations(campaign, target)
    except ActionRefused as refused:
        return _upward_page(request, campaign, error=str(refused), status=400)
    upward.upward_exported(nominations=nominations, actor=request.user)
    return _zip_response(
        lambda out: upward.target_zip(nominations, out), upward.target_zip_name(campaign, target)
    )


# The booklet -------------------------------------------------------------------------------------


def _photos_page(request, campaign, *, errors=None, status=200):
    award_list = booklet.booklet_list(campaign, preview=True)
    honourees = list(award_list.honourees.select_related("dossier", "portrait")) if award_list else []
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year"),
        "award_list": award_list,
        "honourees": honourees,
        "errors": errors or {},
        "form": PhotoForm(),
    }
    return render(request, "awards/_honouree_photo_page.html", context, status=status)


@require_safe
@requires(may_run_awards)
def booklet_photos_view(request, year):
    return _photos_page(request, campaign_by_year(year))


@require_POST
@requires(may_run_awards)
def honouree_photo_upload_view(request, pk):
    honouree = honouree_for_user(request.user, pk)
    campaign = honouree.award_list.campaign
    form = PhotoForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ActionRefused(" ".join(form.errors.get("photo", [_("Vui lòng chọn một tệp ảnh.")])))
        booklet.honouree_portrait_set(
            honouree=honouree, upload=form.cleaned_data["photo"], actor=request.user
        )
    except ActionRefused as refused:
        return _photos_page(request, campaign, errors={honouree.pk: str(refused)}, status=400)
    messages.success(request, _("Đã lưu ảnh chân dung của %(name)s.") % {"name": honouree.name})
    return redirect("awards:booklet_photos", year=campaign.year)


@require_POST
@requires(may_run_awards)
def honouree_photo_remove_view(request, pk):
    honouree = honouree_for_user(request.user, pk)
    campaign = honouree.award_list.campaign
    try:
        booklet.honouree_portrait_remove(honouree=honouree, actor=request.user)
    except ActionRefused as refused:
        return _photos_page(request, campaign, errors={honouree.pk: str(refused)}, status=409)
    messages.success(request, _("Đã xóa ảnh chân dung của %(name)s.") % {"name": honouree.name})
    return redirect("awards:booklet_photos", year=campaign.year)


@require_safe
@requires(may_run_awards)
def honouree_photo_view(request, pk):
    """The portrait, for the Front admins' thumbnails only; the file is never served by the web server."""
    portrait = getattr(honouree_for_user(request.user, pk), "portrait", None)
    if portrait is None:
        raise Http404
    response = stored_file_response(portrait, inline=True)
    response["Cache-Control"] = "private, no-store"
    return response
