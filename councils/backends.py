"""The current council's secretary sets up the council and its rubric in the admin (SPEC §1): the
model permissions come from that place on the council, for as long as it is the current one, not
from a group (Front admins have theirs through their role's group)."""

from django.contrib.auth.backends import BaseBackend

from councils.permissions import is_secretary
from dksangtao.roles import COUNCIL_SETUP_PERMISSIONS

# The Front founds (and dissolves) councils; the secretary sets up the one that exists, and the admin
# shows them the current council and its campaign's rubrics only (councils/admin.py).
SECRETARY_PERMISSIONS = set(COUNCIL_SETUP_PERMISSIONS) - {"councils.add_council", "councils.delete_council"}


class CouncilSecretaryBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in SECRETARY_PERMISSIONS and is_secretary(user_obj)

    def get_all_permissions(self, user_obj, obj=None):
        return (
            set(SECRETARY_PERMISSIONS)
            if obj is None and user_obj.is_active and is_secretary(user_obj)
            else set()
        )

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and app_label == "councils" and is_secretary(user_obj)
