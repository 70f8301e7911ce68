"""Run by tests/test_scale_out.py in its own pytest process with DATABASE_REPLICA_URL pointing at the
same database (the alias is a TEST MIRROR of «default»): where each read goes. Not collected alone
(its name does not start with test_): without the alias it would prove nothing."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from dksangtao.routers import reads_from_replica

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture(autouse=True)
def close_the_replica():
    yield
    connections["replica"].close()  # or the test database cannot be dropped at the end


def _reads():
    """(queries on default, queries on replica) of one read that finds the probe's row."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        assert User.objects.filter(email="probe@example.vn").exists()
    return len(primary), len(replica)


@reads_from_replica()
def _decorated_reads():
    return _reads()


def test_a_read_goes_to_the_replica_only_inside_the_scope():
    assert "replica" in connections.settings
    assert connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    User.objects.create(email="probe@example.vn")
    assert _reads() == (1, 0)
    with reads_from_replica():
        assert _reads() == (0, 1)
    assert _decorated_reads() == (0, 1)
    assert _reads() == (1, 0)  # the scope ended with the block


def test_writes_and_reads_inside_a_transaction_stay_on_the_primary():
    with reads_from_replica(), CaptureQueriesContext(connections["replica"]) as replica:
        User.objects.create(email="probe@example.vn")  # a write: the primary
        with transaction.atomic():
            # read-your-writes and row locks: a transaction reads from the primary
            assert User.objects.filter(email="probe@example.vn").exists()
            assert User.objects.select_for_update().filter(email="probe@example.vn").exists()
    assert len(replica) == 0


@pytest.mark.parametrize("url", ["/co-so-du-lieu/thong-ke/", "/giai-thuong/", "/co-so-du-lieu/?q=ban+do"])
def test_the_public_pages_read_from_the_replica(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == 200
    assert len(replica) > 0
    on_primary = [q["sql"] for q in primary.captured_queries]
    # The search's typo correction runs raw SQL on django.db.connection (public/search.py), which no
    # router sees: those few word-list look-ups stay on the primary.
    assert all("public_search_word" in sql for sql in on_primary), on_primary
