from django.core.management.base import BaseCommand

from submissions.demo import PHASES, set_phase


class Command(BaseCommand):
    help = (
        "Move the demo's current campaign into a phase: «submissions» (units submit, review and "
        "nominate; the default of seed_demo) or «appraisal» (today the secretary screens and the "
        "council starts scoring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phase", choices=sorted(PHASES))

    def handle(self, *args, phase, **options):
        campaign = set_phase(phase)
        self.stdout.write(
            f"{campaign.name}: {PHASES[phase]} — nộp hồ sơ đến {campaign.submissions_close:%d/%m/%Y}, "
            f"thẩm tra đến {campaign.screening_deadline:%d/%m/%Y}, chấm điểm "
            f"{campaign.scoring_start:%d/%m/%Y}–{campaign.scoring_end:%d/%m/%Y}."
        )
