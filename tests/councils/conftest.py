# The submissions fixtures (kind, field, make_dossier) serve the council's tests too.
from tests.submissions.conftest import (  # noqa: F401
    field,
    kind,
    make_dossier,
)
