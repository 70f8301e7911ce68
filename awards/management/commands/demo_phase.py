from django.core.management.base import BaseCommand

from councils.demo import score_demo_campaign
from dksangtao.formatting import format_date
from submissions.demo import PHASES, set_phase


class Command(BaseCommand):
    help = (
        "Move the demo's current campaign into a phase: «submissions» (units submit, review and "
        "nominate; seed_demo's default), «appraisal» (today the secretary screens and the council starts "
        "scoring) or «ranking» (the council has screened, assigned and scored everything and announced "
        "its results, its window having closed yesterday, so the Front admins rank, draft, approve and "
        "publish)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phase", choices=sorted(PHASES))

    def handle(self, *args, phase, **options):
        campaign = set_phase(phase)
        if phase == "ranking":
            sheets = score_demo_campaign(campaign)
            self.stdout.write(f"Hội đồng đã chấm: {sheets} phiếu mới; kết quả đã công bố.")
        self.stdout.write(
            f"{campaign.name}: {PHASES[phase]} — nộp hồ sơ đến {format_date(campaign.submissions_close)}, "
            f"thẩm tra đến {format_date(campaign.screening_deadline)}, chấm điểm "
            f"{format_date(campaign.scoring_start)}–{format_date(campaign.scoring_end)}."
        )
