"""Runs of consecutive phone numbers among the ballot's voters."""

from django.db import connection
from django.db.models.functions import Length
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ..identity import masked
from ..models import Vote, Voter
from .base import Context, Group

PHONE_RUN_MIN = 5
"""Five voters with consecutive numbers happen by chance about never; SIM banks sell blocks."""


RUNS_SQL = """
WITH numbers AS (
    SELECT CAST(SUBSTR(p.phone, 2) AS BIGINT) AS n
    FROM {voter} p
    WHERE p.phone IS NOT NULL
      AND EXISTS (SELECT 1 FROM {vote} v WHERE v.voter_id = p.id AND v.ballot_id = %s)
), islands AS (
    SELECT n, n - ROW_NUMBER() OVER (ORDER BY n) AS island FROM numbers
)
SELECT MIN(n), MAX(n) FROM islands GROUP BY island HAVING COUNT(*) >= %s
"""
"""Gaps and islands: consecutive numbers minus their rank give one constant per run."""


def phone_runs(ctx: Context) -> list[Group]:
    sql = RUNS_SQL.format(voter=Voter._meta.db_table, vote=Vote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ctx.ballot.pk, PHONE_RUN_MIN])
        runs = cursor.fetchall()
    groups = []
    for low, high in runs:
        first, last = f"+{low}", f"+{high}"
        voters = list(
            Voter.objects.annotate(length=Length("phone"))
            .filter(phone__range=(first, last), length=len(first))
            .values_list("pk", flat=True)
        )
        detail = _("%(n)s consecutive numbers, %(first)s … %(last)s") % {
            "n": high - low + 1,
            "first": masked(first),
            "last": masked(last),
        }
        key = salted_hmac("smartdialog.voting.phone_run", first).hexdigest()[:12]
        groups.append(ctx.measured(key, ctx.votes().filter(voter_id__in=voters), detail=detail))
    return sorted(groups, key=lambda g: (-g.voters, g.key))
