from django.urls import path

from fund import views

app_name = "fund"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("thu/ngan-sach/", views.budget_new_view, name="budget_new"),
    path("thu/tai-tro/", views.donation_new_view, name="donation_new"),
    path("thu/lai-tien-gui/", views.interest_new_view, name="interest_new"),
    path("chi/", views.payment_new_view, name="payment_new"),
    path("chi/giai-thuong/", views.prize_batch_new_view, name="prize_batch_new"),
    path("cho-duyet/", views.approvals_view, name="approvals"),
    path("chung-tu/<int:pk>/", views.transaction_view, name="transaction"),
    path("chung-tu/<int:pk>/duyet/", views.approve_view, name="approve"),
    path("chung-tu/<int:pk>/tu-choi/", views.reject_view, name="reject"),
    path("chung-tu/<int:pk>/dao/", views.reverse_view, name="reverse"),
    path("chung-tu/<int:pk>/thu-cam-on.pdf", views.thank_you_view, name="thank_you"),
    path("tep/<int:pk>/", views.voucher_view, name="voucher"),
    path("so-cai/<str:code>/", views.ledger_view, name="ledger"),
    path("bao-cao/", views.statement_view, name="statement"),
    path("bao-cao/pdf/", views.statement_pdf_view, name="statement_pdf"),
    path("bao-cao/xlsx/", views.statement_xlsx_view, name="statement_xlsx"),
]
