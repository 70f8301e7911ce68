"""A place on a council added, changed or removed — by the services, the admin's inline rows or a
factory — replaces the person's access key, so their cached council places are read afresh."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.selectors import forget_access
from councils.models import CouncilMember


@receiver([post_save, post_delete], sender=CouncilMember, dispatch_uid="councils.forget_council_places")
def _place_changed(sender, instance, **kwargs):
    forget_access(instance.user)
