"""The public database listens to awards: a published list makes its honourees public."""

from django.dispatch import receiver

from awards.signals import award_list_published
from public.services import records_publish_list


@receiver(award_list_published, dispatch_uid="public.records_publish_list")
def _list_published(sender, award_list, actor, **kwargs):
    records_publish_list(award_list=award_list, actor=actor)
