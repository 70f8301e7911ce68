# The submissions fixtures (campaign, kind, field, make_dossier) serve the awards tests too.
from tests.submissions.conftest import (  # noqa: F401
    campaign,
    field,
    kind,
    make_dossier,
)
