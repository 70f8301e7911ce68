from django.core.management.base import BaseCommand

from accounts.models import User
from councils.demo import score_demo_campaign
from submissions.demo import PHASES, set_phase


class Command(BaseCommand):
    help = (
        "Move the demo's current campaign into a phase: «submissions» (units submit, review and "
        "nominate; seed_demo's default), «appraisal» (today the secretary screens and the council starts "
        "scoring) or «ranking» (the council has screened, assigned and scored everything; its window "
        "closed yesterday, so the Front admins rank, draft, approve and publish)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phase", choices=sorted(PHASES))

    def handle(self, *args, phase, **options):
        campaign = set_phase(phase)
        if phase == "ranking":
            secretary = User.objects.get(email="thuky.hoidong@demo.dksangtao.vn")
            sheets = score_demo_campaign(campaign, secretary)
            self.stdout.write(f"Hội đồng đã chấm: {sheets} phiếu mới.")
        self.stdout.write(
            f"{campaign.name}: {PHASES[phase]} — nộp hồ sơ đến {campaign.submissions_close:%d/%m/%Y}, "
            f"thẩm tra đến {campaign.screening_deadline:%d/%m/%Y}, chấm điểm "
            f"{campaign.scoring_start:%d/%m/%Y}–{campaign.scoring_end:%d/%m/%Y}."
        )
