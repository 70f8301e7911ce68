# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""The figures kept between requests (councils.selectors.figures_cached): their fingerprint moves
with every write to the rows they count, whoever makes it; a figure of a change still settling lives
a few seconds only; and what a process keeps in memory is dropped with the shared cache."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from councils.assignment import assignment_remove
from councils.selectors import (
    FIGURES_CACHE_SECONDS,
    FIGURES_FRESH_SECONDS,
    FIGURES_SETTLE,
    Fingerprint,
    figures_cached,
    figures_fingerprint,
)
from submissions.services import dossier_withdraw
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_fingerprint_moves_with_each_assignment_sheet_and_dossier_written(
    council, entry, three, secretary, make_dossier, unit_a, staff
):
    seen = [figures_fingerprint().key]

    def moved():
        key = figures_fingerprint().key
        assert key not in seen
        seen.append(key)

    first = assign(council, entry, three[0], secretary)
    moved()
    second = assign(council, entry, three[1], secretary)
    moved()
    submit(first, ["27", "25", "20", "8"])  # councils.services.score_submit
    moved()
    assignment_remove(assignment=second, actor=secretary)  # ended, never taken back
    moved()
    submitted = make_dossier(unit_a, staff, "submitted")
    moved()
    dossier_withdraw(dossier=submitted, actor=staff, reason="Rút để hoàn thiện")
    moved()
    assert figures_fingerprint().key == seen[-1]  # nothing written: the same fingerprint


def test_a_figure_of_a_change_still_settling_is_kept_a_few_seconds_only():
    now = timezone.now()
    assert Fingerprint("k", now).lifetime == FIGURES_FRESH_SECONDS
    assert Fingerprint("k", now - FIGURES_SETTLE - dt.timedelta(seconds=1)).lifetime == FIGURES_CACHE_SECONDS
    assert Fingerprint("k", None).lifetime == FIGURES_CACHE_SECONDS  # nothing written yet


def test_a_figure_is_built_once_and_again_once_the_shared_cache_has_dropped_it(council, entry):
    built = []

    def build():
        built.append(1)
        return {"n": len(built)}

    assert figures_cached("test", council.pk, build) == {"n": 1}
    assert figures_cached("test", council.pk, build) == {"n": 1}  # kept: not built again
    cache.clear()  # the shared cache decides how long a figure lives, also for this process's copy
    assert figures_cached("test", council.pk, build) == {"n": 2}
    assert figures_cached("test", (council.pk, "other"), build) == {"n": 3}  # other parts, other figure
