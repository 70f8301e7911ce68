"""The fund's pages. Each view: check the person's right (403 otherwise), parse, call one service,
render. A refused action keeps what was typed and says why, in Vietnamese."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dksangtao.access import requires
from dksangtao.audit import trail_for
from dksangtao.files import stored_file_response
from dksangtao.lists import Listing
from dksangtao.pdf import pdf_response
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
from fund.models import Kind, Status
from fund.payables import PrizePayable
from fund.permissions import (
    approval_wait,
    may_approve,
    may_decide,
    may_draft,
    may_read_ledger,
    may_read_statements,
)
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


@requires(may_read_ledger)
def overview_view(request):
    return render(
        request,
        "fund/overview.html",
        {
            "balances": selectors.account_balances(),
            "recent": selectors.recent_transactions(),
            "can_draft": may_draft(request.user),
            "can_approve": may_approve(request.user),
        },
    )


def _draft_view(request, *, form_class, template, draft):
    """The shape every drafting page shares: a form, a service call, the draft's page on success,
    the form again with the reason (and everything typed) when refused."""
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


@requires(may_draft)
def budget_new_view(request):
    return _draft_view(
        request,
        form_class=BudgetReceiptForm,
        template="fund/budget_form.html",
        draft=lambda data: budget_receipt_draft(drafted_by=request.user, **data),
    )


@requires(may_draft)
def donation_new_view(request):
    return _draft_view(
        request,
        form_class=DonationForm,
        template="fund/donation_form.html",
        draft=lambda data: donation_draft(drafted_by=request.user, **data),
    )


@requires(may_draft)
def interest_new_view(request):
    return _draft_view(
        request,
        form_class=InterestForm,
        template="fund/interest_form.html",
        draft=lambda data: interest_receipt_draft(drafted_by=request.user, **data),
    )


@requires(may_draft)
def payment_new_view(request):
    return _draft_view(
        request,
        form_class=PaymentForm,
        template="fund/payment_form.html",
        draft=lambda data: payment_draft(drafted_by=request.user, **data),
    )


@requires(may_draft)
def prize_batch_new_view(request):
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


@requires(may_approve)
def approvals_view(request):
    listing = Listing(request, selectors.approvals_queue())
    context = {
        "listing": listing,
        "page": listing.page,
        "reason_form": ReasonForm(),
        "approval_wait": approval_wait(request.user),
    }
    return render(request, "fund/approvals.html", context)


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
        "can_decide": may_decide(user, txn),
        "own_draft": txn.status == Status.DRAFT and txn.drafted_by_id == user.pk,
        "can_reverse": may_draft(user) and reversible,
        "events": trail_for(txn),
        "reason_form": reason_form or ReasonForm(),
        "reverse_form": reverse_form or ReasonForm(prefix="reverse"),
    }
    return render(request, "fund/transaction_detail.html", context, status=status)


@requires(may_read_ledger)
def transaction_view(request, pk):
    return _transaction_page(request, selectors.transaction_for_user(request.user, pk))


@require_POST
@requires(may_approve)
def approve_view(request, pk):
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


@require_POST
@requires(may_approve)
def reject_view(request, pk):
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


@require_POST
@requires(may_draft)
def reverse_view(request, pk):
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


@requires(may_read_ledger)
def thank_you_view(request, pk):
    donation = selectors.transaction_for_user(request.user, pk)
    if donation.kind != Kind.DONATION or donation.status != Status.POSTED:
        raise Http404
    return pdf_response(documents.thank_you_pdf(donation=donation), f"thu-cam-on-{donation.pk}.pdf")


@requires(may_read_ledger)
def voucher_view(request, pk):
    return stored_file_response(selectors.voucher_for_user(request.user, pk), inline=True)


@requires(may_read_ledger)
def ledger_view(request, code):
    account = selectors.account_for_ledger(code)
    listing = Listing(request, selectors.ledger_entries(account), page_size=selectors.LEDGER_PAGE_SIZE)
    context = {
        "account": account,
        "listing": listing,
        "page": listing.page,
        "rows": selectors.ledger_rows(account, listing.page.object_list),
    }
    return render(request, "fund/ledger.html", context)


def _statement(request):
    """The form and the statement it asks for; a bad period is shown with its error beside the
    current year's statement."""
    form = StatementForm(request.GET)
    valid = form.is_valid()
    start, end = form.period() if valid else current_year()
    return form, valid, selectors.statement(start=start, end=end)


@requires(may_read_statements)
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


@requires(may_read_statements)
def statement_pdf_view(request):
    form, valid, statement = _statement(request)
    if not valid:
        return redirect("fund:statement")
    donations = selectors.donations_in(start=statement.start, end=statement.end)
    return pdf_response(
        documents.statement_pdf(statement=statement, donations=donations), _filename(statement, "pdf")
    )


@requires(may_read_statements)
def statement_xlsx_view(request):
    form, valid, statement = _statement(request)
    if not valid:
        return redirect("fund:statement")
    return FileResponse(
        io.BytesIO(documents.statement_xlsx(statement=statement)),
        as_attachment=True,
        filename=_filename(statement, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
