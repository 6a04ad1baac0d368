"""On PostgreSQL two stages of one kind in one edition cannot overlap (exclusion constraint).

Other databases rely on `services.validate_stage`, which runs before every save.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from smartdialog.core.dbutils import postgres_only_sql

CREATE = """
ALTER TABLE contests_stage ADD CONSTRAINT stage_kind_no_overlap
EXCLUDE USING gist (
    edition_id WITH =, kind WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
);
"""
DROP = "ALTER TABLE contests_stage DROP CONSTRAINT IF EXISTS stage_kind_no_overlap;"


class Migration(migrations.Migration):
    dependencies = [("contests", "0001_initial")]

    operations = [BtreeGistExtension(), postgres_only_sql(CREATE, DROP)]
