"""The current council's secretary sets up the council and its rubric in the admin (SPEC §1): the
model permissions come from that place on the council, for as long as it is the current one, not
from a group (Front admins have theirs through their role's group)."""

from django.contrib.auth.backends import BaseBackend

from councils.permissions import is_secretary
from dksangtao.roles import COUNCIL_SETUP_PERMISSIONS


class CouncilSecretaryBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in COUNCIL_SETUP_PERMISSIONS and is_secretary(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and app_label == "councils" and is_secretary(user_obj)
