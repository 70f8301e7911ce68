"""The ledger's guarantees held by PostgreSQL itself (SQLite has no deferred constraint triggers; there
fund/services.py is the only guard, and it checks the same rules).

1. fund_balanced: a DEFERRABLE INITIALLY DEFERRED constraint trigger: at COMMIT, every transaction
   touched has at least two entries and its debits equal its credits (SQLSTATE 23514).
2. fund_*_immutable: BEFORE UPDATE OR DELETE on fund_transaction refuses any change to a posted or
   rejected transaction (the draft's own move to posted or rejected is an UPDATE of a draft row, so
   it passes); on fund_entry, fund_voucher and fund_prizepayee it refuses INSERT, UPDATE or DELETE
   of rows under a posted or rejected transaction (SQLSTATE 23001). Row triggers do not fire on
   TRUNCATE, which only the test runner's flush uses.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION fund_assert_balanced(txn_id bigint) RETURNS void AS $$
DECLARE
    total_debit bigint;
    total_credit bigint;
    entry_count integer;
BEGIN
    PERFORM 1 FROM fund_transaction WHERE id = txn_id;
    IF NOT FOUND THEN
        RETURN;  -- a draft deleted with its entries
    END IF;
    SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*)
      INTO total_debit, total_credit, entry_count
      FROM fund_entry WHERE transaction_id = txn_id;
    IF entry_count < 2 OR total_debit <> total_credit THEN
        RAISE EXCEPTION 'fund: transaction % does not balance (debit %, credit %, % entries)',
            txn_id, total_debit, total_credit, entry_count
            USING ERRCODE = 'check_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fund_check_balanced() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'fund_transaction' THEN
        PERFORM fund_assert_balanced(NEW.id);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM fund_assert_balanced(NEW.transaction_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.transaction_id <> NEW.transaction_id) THEN
        PERFORM fund_assert_balanced(OLD.transaction_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fund_refuse_change_of_closed_transaction() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('posted', 'rejected') THEN
        RAISE EXCEPTION 'fund: transaction % is %; it cannot be changed or deleted (correct it with a reversal)',
            OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fund_refuse_change_under_closed_transaction() RETURNS trigger AS $$
DECLARE
    parent_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO parent_status FROM fund_transaction WHERE id = OLD.transaction_id;
        IF parent_status IN ('posted', 'rejected') THEN
            RAISE EXCEPTION 'fund: % of transaction % (%) cannot be changed or deleted',
                TG_TABLE_NAME, OLD.transaction_id, parent_status
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO parent_status FROM fund_transaction WHERE id = NEW.transaction_id;
        IF parent_status IN ('posted', 'rejected') THEN
            RAISE EXCEPTION 'fund: no % can be added to transaction % (%)',
                TG_TABLE_NAME, NEW.transaction_id, parent_status
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER fund_entry_balanced
    AFTER INSERT OR UPDATE OR DELETE ON fund_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION fund_check_balanced();

CREATE CONSTRAINT TRIGGER fund_transaction_balanced
    AFTER INSERT OR UPDATE ON fund_transaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION fund_check_balanced();

CREATE TRIGGER fund_transaction_immutable
    BEFORE UPDATE OR DELETE ON fund_transaction
    FOR EACH ROW EXECUTE FUNCTION fund_refuse_change_of_closed_transaction();

CREATE TRIGGER fund_entry_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON fund_entry
    FOR EACH ROW EXECUTE FUNCTION fund_refuse_change_under_closed_transaction();

CREATE TRIGGER fund_voucher_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON fund_voucher
    FOR EACH ROW EXECUTE FUNCTION fund_refuse_change_under_closed_transaction();

CREATE TRIGGER fund_prizepayee_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON fund_prizepayee
    FOR EACH ROW EXECUTE FUNCTION fund_refuse_change_under_closed_transaction();
"""

DROP = """
DROP TRIGGER IF EXISTS fund_prizepayee_immutable ON fund_prizepayee;
DROP TRIGGER IF EXISTS fund_voucher_immutable ON fund_voucher;
DROP TRIGGER IF EXISTS fund_entry_immutable ON fund_entry;
DROP TRIGGER IF EXISTS fund_transaction_immutable ON fund_transaction;
DROP TRIGGER IF EXISTS fund_transaction_balanced ON fund_transaction;
DROP TRIGGER IF EXISTS fund_entry_balanced ON fund_entry;
DROP FUNCTION IF EXISTS fund_refuse_change_under_closed_transaction();
DROP FUNCTION IF EXISTS fund_refuse_change_of_closed_transaction();
DROP FUNCTION IF EXISTS fund_check_balanced();
DROP FUNCTION IF EXISTS fund_assert_balanced(bigint);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("fund", "0002_chart_of_accounts")]

    operations = [migrations.RunPython(create, drop)]
