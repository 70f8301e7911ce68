"""Saving or deleting a campaign may change which campaign is current: the cached id is forgotten."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from submissions.models import Campaign
from submissions.selectors import current_campaign_key


@receiver([post_save, post_delete], sender=Campaign, dispatch_uid="submissions.forget_current_campaign")
def _campaign_changed(sender, **kwargs):
    cache.delete(current_campaign_key())
