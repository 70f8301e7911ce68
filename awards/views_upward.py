"""Front admins' pages for the nomination upward (mark, unmark, the ZIPs) and the booklet (portraits,
the PDF). Each view: check the role, parse, call one service, render. The booklet PDF of a published
list is public; before publication only Front admins get it, as a preview."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awards import booklet, upward
from awards.forms_upward import MarkForm, PhotoForm
from awards.models import Honouree, UpwardNomination
from awards.views import front_admin_or_403, is_front_admin
from submissions.models import Campaign
from submissions.selectors import current_campaign
from submissions.services import ActionRefused


def _campaign(request) -> Campaign:
    year = request.POST.get("campaign") or request.GET.get("campaign")
    if year:
        if not str(year).isdigit():
            raise Http404
        return get_object_or_404(Campaign, year=year)
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    return campaign


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
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Nomination upward -------------------------------------------------------------------------------


@require_GET
@login_required
def upward_view(request):
    front_admin_or_403(request.user)
    return _upward_page(request, _campaign(request))


@require_POST
@login_required
def upward_mark_view(request):
    front_admin_or_403(request.user)
    campaign = _campaign(request)
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
@login_required
def upward_unmark_view(request, pk):
    front_admin_or_403(request.user)
    nomination = get_object_or_404(UpwardNomination.objects.select_related("dossier", "campaign"), pk=pk)
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


@require_GET
@login_required
def upward_zip_view(request, pk):
    front_admin_or_403(request.user)
    nomination = get_object_or_404(UpwardNomination.objects.select_related("dossier"), pk=pk)
    upward.upward_exported(nominations=[nomination], actor=request.user)
    return _zip_response(
        lambda out: upward.nomination_zip(nomination, out), upward.nomination_zip_name(nomination)
    )


@require_GET
@login_required
def upward_target_zip_view(request, year, target):
    front_admin_or_403(request.user)
    campaign = get_object_or_404(Campaign, year=year)
    try:
        nominations = upward.target_nominations(campaign, target)
    except ActionRefused as refused:
        return _upward_page(request, campaign, error=str(refused), status=400)
    upward.upward_exported(nominations=nominations, actor=request.user)
    return _zip_response(
        lambda out: upward.target_zip(nominations, out), upward.target_zip_name(campaign, target)
    )


# The booklet -------------------------------------------------------------------------------------


@require_GET
def booklet_view(request, year):
    """Public once the campaign's list is published; before that a preview for Front admins only
    (404 for everyone else: nothing tells that a list is being prepared)."""
    campaign = get_object_or_404(Campaign, year=year)
    award_list = booklet.booklet_list(campaign, preview=is_front_admin(request.user))
    if award_list is None:
        raise Http404
    response = HttpResponse(booklet.booklet_pdf(award_list), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{booklet.booklet_filename(award_list)}"'
    if award_list.status != award_list.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


def _photos_page(request, campaign, *, errors=None, status=200):
    award_list = booklet.booklet_list(campaign, preview=True)
    honourees = list(award_list.honourees.select_related("dossier")) if award_list else []
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year"),
        "award_list": award_list,
        "honourees": honourees,
        "errors": errors or {},
        "form": PhotoForm(),
    }
    return render(request, "awards/_honouree_photo_page.html", context, status=status)


@require_GET
@login_required
def booklet_photos_view(request, year):
    front_admin_or_403(request.user)
    return _photos_page(request, get_object_or_404(Campaign, year=year))


def _honouree(request, pk) -> Honouree:
    front_admin_or_403(request.user)
    return get_object_or_404(Honouree.objects.select_related("award_list__campaign"), pk=pk)


@require_POST
@login_required
def honouree_photo_upload_view(request, pk):
    honouree = _honouree(request, pk)
    campaign = honouree.award_list.campaign
    form = PhotoForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ActionRefused(" ".join(form.errors.get("photo", [_("Vui lòng chọn một tệp ảnh.")])))
        booklet.honouree_photo_set(honouree=honouree, upload=form.cleaned_data["photo"], actor=request.user)
    except ActionRefused as refused:
        return _photos_page(request, campaign, errors={honouree.pk: str(refused)}, status=400)
    messages.success(request, _("Đã lưu ảnh chân dung của %(name)s.") % {"name": honouree.name})
    return redirect("awards:booklet_photos", year=campaign.year)


@require_POST
@login_required
def honouree_photo_remove_view(request, pk):
    honouree = _honouree(request, pk)
    campaign = honouree.award_list.campaign
    try:
        booklet.honouree_photo_remove(honouree=honouree, actor=request.user)
    except ActionRefused as refused:
        return _photos_page(request, campaign, errors={honouree.pk: str(refused)}, status=409)
    messages.success(request, _("Đã xóa ảnh chân dung của %(name)s.") % {"name": honouree.name})
    return redirect("awards:booklet_photos", year=campaign.year)


@require_GET
@login_required
def honouree_photo_view(request, pk):
    """The portrait, for the Front admins' thumbnails only; the file is never served by the web server."""
    honouree = _honouree(request, pk)
    if not honouree.photo:
        raise Http404
    try:
        handle = honouree.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=booklet.photo_content_type(honouree))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
