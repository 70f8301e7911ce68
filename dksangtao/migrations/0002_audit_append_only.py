"""The audit trail is append-only, held by PostgreSQL itself: a trigger refuses every UPDATE and
DELETE of an audit row, whoever sends it (the ORM, raw SQL, the admin). Row triggers do not fire on
TRUNCATE, which only the test runner's flush uses. SQLite has no such guard; there the model and its
queryset refuse updates and deletes (dksangtao/models.py)."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit: event % cannot be changed or deleted; the trail is append-only', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON dksangtao_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

DROP = r"""
DROP TRIGGER IF EXISTS audit_append_only ON dksangtao_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("dksangtao", "0001_audit_trail")]

    operations = [migrations.RunPython(create, drop)]
