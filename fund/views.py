"""The fund's pages. Each view: check the person's right (403 otherwise), parse, call one service,
render. A refused action keeps what was typed and says why, in Vietnamese."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dksangtao.uploads import CONTENT_TYPES
from fund import documents, selectors
from fund.forms import (
    BudgetReceiptForm,
    DonationForm,
    InterestForm,
    PayeeFormSet,
    PaymentForm,
    PrizeBatchForm,
    ReasonForm,
    StatementForm,
    current_year,
)
from fund.models import Kind, Status, Voucher
from fund.payables import PrizePayable
from fund.services import (
    ActionRefused,
    budget_receipt_draft,
    donation_draft,
    interest_receipt_draft,
    payment_draft,
    prize_batch_draft,
    transaction_approve,
    transaction_reject,
    transaction_reverse,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def overview_view(request):
    _require(selectors.can_read_ledger(request.user))
    return render(
        request,
        "fund/overview.html",
        {
            "balances": selectors.account_balances(),
            "recent": selectors.recent_transactions(),
            "can_draft": selectors.can_draft(request.user),
            "can_approve": selectors.can_approve(request.user),
        },
    )


def _draft_view(request, *, form_class, template, draft):
    """The shape every drafting page shares: a form, a service call, the draft's page on success,
    the form again with the reason (and everything typed) when refused."""
    _require(selectors.can_draft(request.user))
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                txn = draft(form.cleaned_data)
            except ActionRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                messages.success(
                    request, _("Đã lập chứng từ %(n)s, chờ kiểm soát duyệt.") % {"n": txn.number}
                )
                return redirect("fund:transaction", txn.pk)
        else:
            status = 400
    return render(request, template, {"form": form}, status=status)


@login_required
def budget_new_view(request):
    return _draft_view(
        request,
        form_class=BudgetReceiptForm,
        template="fund/budget_form.html",
        draft=lambda data: budget_receipt_draft(drafted_by=request.user, **data),
    )


@login_required
def donation_new_view(request):
    return _draft_view(
        request,
        form_class=DonationForm,
        template="fund/donation_form.html",
        draft=lambda data: donation_draft(drafted_by=request.user, **data),
    )


@login_required
def interest_new_view(request):
    return _draft_view(
        request,
        form_class=InterestForm,
        template="fund/interest_form.html",
        draft=lambda data: interest_receipt_draft(drafted_by=request.user, **data),
    )


@login_required
def payment_new_view(request):
    return _draft_view(
        request,
        form_class=PaymentForm,
        template="fund/payment_form.html",
        draft=lambda data: payment_draft(drafted_by=request.user, **data),
    )


@login_required
def prize_batch_new_view(request):
    _require(selectors.can_draft(request.user))
    form = PrizeBatchForm(request.POST or None)
    payees = PayeeFormSet(request.POST or None, prefix="payees")
    status = 200
    if request.method == "POST":
        if form.is_valid() and payees.is_valid():
            try:
                txn = prize_batch_draft(
                    award_list_label=form.cleaned_data["award_list_label"],
                    payables=[PrizePayable(**row) for row in payees.payees()],
                    date=form.cleaned_data["date"],
                    out_of=form.cleaned_data["out_of"],
                    drafted_by=request.user,
                )
            except ActionRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                messages.success(
                    request, _("Đã lập chứng từ %(n)s, chờ kiểm soát duyệt.") % {"n": txn.number}
                )
                return redirect("fund:transaction", txn.pk)
        else:
            status = 400
    return render(request, "fund/prize_batch_form.html", {"form": form, "payees": payees}, status=status)


@login_required
def approvals_view(request):
    _require(selectors.can_approve(request.user))
    page = Paginator(selectors.approvals_queue(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "fund/approvals.html", {"page": page, "reason_form": ReasonForm()})


def _transaction_page(request, txn, *, reason_form=None, reverse_form=None, status=200):
    user = request.user
    reversible = (
        txn.status == Status.POSTED
        and txn.kind != Kind.REVERSAL
        and not any(r.status != Status.REJECTED for r in txn.reversals.all())
    )
    context = {
        "txn": txn,
        "entries": txn.entries.all(),
        "can_decide": selectors.can_approve(user)
        and txn.status == Status.DRAFT
        and txn.drafted_by_id != user.pk,
        "own_draft": txn.status == Status.DRAFT and txn.drafted_by_id == user.pk,
        "can_reverse": selectors.can_draft(user) and reversible,
        "reason_form": reason_form or ReasonForm(),
        "reverse_form": reverse_form or ReasonForm(prefix="reverse"),
    }
    return render(request, "fund/transaction_detail.html", context, status=status)


@login_required
def transaction_view(request, pk):
    _require(selectors.can_read_ledger(request.user))
    return _transaction_page(request, selectors.transaction_for_user(request.user, pk))


@login_required
@require_POST
def approve_view(request, pk):
    _require(selectors.can_approve(request.user))
    txn = selectors.transaction_for_user(request.user, pk)
    try:
        transaction_approve(txn=txn, approver=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return _transaction_page(request, selectors.transaction_for_user(request.user, pk), status=409)
    messages.success(request, _("Đã duyệt và ghi sổ chứng từ %(n)s.") % {"n": txn.number})
    if request.POST.get("next") == "queue":
        return redirect("fund:approvals")
    return redirect("fund:transaction", txn.pk)


@login_required
@require_POST
def reject_view(request, pk):
    _require(selectors.can_approve(request.user))
    txn = selectors.transaction_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            transaction_reject(txn=txn, approver=request.user, reason=form.cleaned_data["reason"])
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Đã từ chối chứng từ %(n)s.") % {"n": txn.number})
            return redirect("fund:transaction", txn.pk)
    return _transaction_page(
        request, selectors.transaction_for_user(request.user, pk), reason_form=form, status=400
    )


@login_required
@require_POST
def reverse_view(request, pk):
    _require(selectors.can_draft(request.user))
    original = selectors.transaction_for_user(request.user, pk)
    form = ReasonForm(request.POST, prefix="reverse")
    if form.is_valid():
        try:
            reversal = transaction_reverse(
                original=original, drafted_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Đã lập bút toán đảo %(n)s, chờ kiểm soát duyệt.") % {"n": reversal.number}
            )
            return redirect("fund:transaction", reversal.pk)
    return _transaction_page(
        request, selectors.transaction_for_user(request.user, pk), reverse_form=form, status=400
    )


@login_required
def thank_you_view(request, pk):
    _require(selectors.can_read_ledger(request.user))
    donation = selectors.transaction_for_user(request.user, pk)
    if donation.kind != Kind.DONATION or donation.status != Status.POSTED:
        raise Http404
    response = HttpResponse(documents.thank_you_pdf(donation=donation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thu-cam-on-{donation.pk}.pdf"'
    return response


@login_required
def voucher_view(request, pk):
    _require(selectors.can_read_ledger(request.user))
    voucher = get_object_or_404(Voucher, pk=pk)
    return FileResponse(
        voucher.file.open("rb"),
        as_attachment=False,
        filename=voucher.original_name,
        content_type=CONTENT_TYPES.get(voucher.file_type, "application/octet-stream"),
    )


@login_required
def ledger_view(request, code):
    _require(selectors.can_read_ledger(request.user))
    account = selectors.account_for_ledger(code)
    page, rows = selectors.ledger_page(account, request.GET.get("page"))
    return render(request, "fund/ledger.html", {"account": account, "page": page, "rows": rows})


def _statement(request):
    """The form and the statement it asks for; a bad period is shown with its error beside the
    current year's statement."""
    _require(selectors.can_read_statements(request.user))
    form = StatementForm(request.GET)
    valid = form.is_valid()
    start, end = form.period() if valid else current_year()
    return form, valid, selectors.statement(start=start, end=end)


@login_required
def statement_view(request):
    form, valid, statement = _statement(request)
    status = 200 if valid else 400
    return render(
        request,
        "fund/statement.html",
        {"form": form, "statement": statement, "valid": valid, "query": request.GET.urlencode()},
        status=status,
    )


def _filename(statement, extension):
    return f"bao-cao-quy-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.{extension}"


@login_required
def statement_pdf_view(request):
    form, valid, statement = _statement(request)
    if not valid:
        return redirect("fund:statement")
    donations = selectors.donations_in(start=statement.start, end=statement.end)
    response = HttpResponse(
        documents.statement_pdf(statement=statement, donations=donations), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(statement, "pdf")}"'
    return response


@login_required
def statement_xlsx_view(request):
    form, valid, statement = _statement(request)
    if not valid:
        return redirect("fund:statement")
    response = HttpResponse(
        documents.statement_xlsx(statement=statement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(statement, "xlsx")}"'
    return response
