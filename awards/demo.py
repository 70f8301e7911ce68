"""The demo's last campaign, honoured through the services: a Front admin ranks the entries the
council announced, drafts the award list and adds the bank details, a second Front admin approves
it, and the first publishes it under a decision — so the public award page, a certificate, the
booklet and the prize batch waiting in the fund are there to see. Runs once per campaign."""

from django.utils import timezone

from accounts.models import User
from awards.models import AwardList
from awards.ranking import ranking_execute, ranking_start
from awards.services import award_list_approve, award_list_draft, award_list_publish, honouree_change
from submissions.demo import DOMAIN, demo_campaigns

BANKS = [
    ("0161 0012 34567", "Vietcombank – Chi nhánh Huế"),
    ("5511 2000 98765", "Agribank – Chi nhánh Thừa Thiên Huế"),
]


def seed(stdout) -> None:
    _current, campaign = demo_campaigns(timezone.localdate())
    if AwardList.objects.filter(campaign=campaign).exists():
        return
    drafter = User.objects.get(email=f"quantri.mttq@{DOMAIN}")
    approver = User.objects.get(email=f"thuongtruc.mttq@{DOMAIN}")
    run = ranking_execute(ranking_start(campaign=campaign, actor=drafter).pk)
    award_list = award_list_draft(run=run, actor=drafter)
    for n, honouree in enumerate(award_list.honourees.all()):
        account, bank = BANKS[n % len(BANKS)]
        honouree_change(
            honouree=honouree,
            actor=drafter,
            reason="Bổ sung tài khoản nhận thưởng theo giấy đề nghị của đơn vị.",
            bank_account=account,
            bank_name=bank,
        )
    award_list_approve(award_list=award_list, actor=approver)
    award_list_publish(
        award_list=award_list,
        actor=drafter,
        decision=f"Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/{campaign.year}",
    )
    stdout.write(
        f"Tôn vinh năm {campaign.year}: xếp hạng {run.entry_count} hồ sơ, "
        f"công bố {award_list.honourees.count()} người được tôn vinh."
    )
