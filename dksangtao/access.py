"""How a view states who may open it. A page — a list, a form, a queue — is guarded by
`@requires(predicate)` with a predicate from the app's permissions.py: sign in first, then 403. A page
about one object is guarded by the app's loader (`dossier_for_user`, `award_list_for_user`, …), which
loads the object and answers 404 to whoever may not see it, so a guessed id tells nothing; such a
view needs only `@login_required` in front of it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def requires(predicate):
    """The person is signed in (otherwise the login page) and `predicate(user)` holds (otherwise 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def checked(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator
