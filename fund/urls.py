from django.urls import path
from django.views.generic import RedirectView

from fund import views

app_name = "fund"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("receipts/budget/", views.budget_new_view, name="budget_new"),
    path("receipts/donation/", views.donation_new_view, name="donation_new"),
    path("receipts/interest/", views.interest_new_view, name="interest_new"),
    path("payments/", views.payment_new_view, name="payment_new"),
    path("payments/prizes/", views.prize_batch_new_view, name="prize_batch_new"),
    path("approvals/", views.approvals_view, name="approvals"),
    path("transactions/<int:pk>/", views.transaction_view, name="transaction"),
    path("transactions/<int:pk>/approve/", views.approve_view, name="approve"),
    path("transactions/<int:pk>/reject/", views.reject_view, name="reject"),
    path("transactions/<int:pk>/reverse/", views.reverse_view, name="reverse"),
    path("transactions/<int:pk>/thank-you.pdf", views.thank_you_view, name="thank_you"),
    path("vouchers/<int:pk>/", views.voucher_view, name="voucher"),
    path("ledgers/<str:code>/", views.ledger_view, name="ledger"),
    path("statements/", views.statement_view, name="statement"),
    path("statements/pdf/", views.statement_pdf_view, name="statement_pdf"),
    path("statements/xlsx/", views.statement_xlsx_view, name="statement_xlsx"),
]

# The fund's pages had Vietnamese paths while every other staff page has English ones (public pages
# have Vietnamese ones: /giai-thuong/). Bookmarks of the old pages still lead there.
OLD_PAGES = [
    ("thu/ngan-sach/", "budget_new"),
    ("thu/tai-tro/", "donation_new"),
    ("thu/lai-tien-gui/", "interest_new"),
    ("chi/", "payment_new"),
    ("chi/giai-thuong/", "prize_batch_new"),
    ("cho-duyet/", "approvals"),
    ("chung-tu/<int:pk>/", "transaction"),
    ("chung-tu/<int:pk>/thu-cam-on.pdf", "thank_you"),
    ("tep/<int:pk>/", "voucher"),
    ("so-cai/<str:code>/", "ledger"),
    ("bao-cao/", "statement"),
    ("bao-cao/pdf/", "statement_pdf"),
    ("bao-cao/xlsx/", "statement_xlsx"),
]
urlpatterns += [
    path(old, RedirectView.as_view(pattern_name=f"fund:{name}", permanent=True, query_string=True))
    for old, name in OLD_PAGES
]
