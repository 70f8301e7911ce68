# The English interface keeps the Vietnamese conventions for dates and numbers: a date typed as
# 05/03/2026 means 5 March 2026 whatever the interface language (SPEC §10).
from dksangtao.formats.vi.formats import *  # noqa: F403
