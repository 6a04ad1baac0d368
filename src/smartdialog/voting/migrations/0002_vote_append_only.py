"""On PostgreSQL the database itself keeps votes append-only.

DELETE is refused. UPDATE is refused unless it only seals the vote: `batch_id` goes from NULL
to a batch and every other column stays as it was (compared as the whole row in JSON, so a
column added later is covered too). TRUNCATE (a test database's flush) is not a row change.
"""

from django.db import migrations

from smartdialog.core.dbutils import postgres_only_sql

CREATE = """
CREATE OR REPLACE FUNCTION voting_vote_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'votes are append-only: a vote is never deleted';
    END IF;
    IF OLD.batch_id IS NULL AND NEW.batch_id IS NOT NULL
       AND (to_jsonb(NEW) - 'batch_id') = (to_jsonb(OLD) - 'batch_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'votes are append-only: only sealing may set batch_id, once';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER voting_vote_append_only
    BEFORE UPDATE OR DELETE ON voting_vote
    FOR EACH ROW EXECUTE FUNCTION voting_vote_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS voting_vote_append_only ON voting_vote;
DROP FUNCTION IF EXISTS voting_vote_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial")]

    operations = [postgres_only_sql(CREATE, DROP)]
