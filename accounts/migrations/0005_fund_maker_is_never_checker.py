"""On PostgreSQL, the database itself refuses a person holding the fund's maker and checker roles at
once (dksangtao.roles.MUTUALLY_EXCLUSIVE_ROLES): an exclusion constraint over (user =, role <>) on the
memberships with one of those roles. btree_gist lets a GiST index compare plain integers and text.
SQLite has no exclusion constraints: there the service (accounts.services.membership_conflict) holds
the rule alone."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "membership_fund_maker_not_checker"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE accounts_membership ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (user_id WITH =, role WITH <>) "
        "WHERE (role IN ('fund_maker', 'fund_checker'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE accounts_membership DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_role_requests_and_account_creator")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
