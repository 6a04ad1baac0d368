"""Many voters behind one address, or one network with one browser string."""

import ipaddress

from django.db.models import CharField, Count, Func

from .base import STATS, Context, Group, digest, excluded_exists

SAME_IP_MIN_VOTERS = 10
"""An office, a school or a mobile operator's NAT puts a few voters behind one address; ten
is where a review is worth the organisers' time."""
SUBNET_MIN_VOTERS = 20
"""A /24 (/64) shared by twenty voters with one identical browser string is a farm or one
organisation voting as one; different browsers behind one network are not flagged."""


class Subnet(Func):
    """The vote's network: /24 for IPv4, /64 for IPv6, as text (`203.0.113.0/24`)."""

    output_field = CharField()

    def as_postgresql(self, compiler, conn, **extra):
        template = (
            "text(network(set_masklen(%(expressions)s, "
            "CASE WHEN family(%(expressions)s) = 4 THEN 24 ELSE 64 END)))"
        )
        return self.as_sql(compiler, conn, template=template, **extra)

    def as_sqlite(self, compiler, conn, **extra):
        # No network type in SQLite: an IPv4 address loses its last number in SQL (native
        # speed); an IPv6 one goes to a Python function registered on the connection.
        conn.ensure_connection()
        conn.connection.create_function("sd_subnet", 1, subnet_of, deterministic=True)
        template = (
            "CASE WHEN instr(%(expressions)s, ':') = 0 "
            "THEN rtrim(%(expressions)s, '0123456789') || '0/24' "
            "ELSE sd_subnet(%(expressions)s) END"
        )
        return self.as_sql(compiler, conn, template=template, **extra)


def subnet_of(ip: str | None) -> str | None:
    if not ip:
        return None
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def same_ip(ctx: Context) -> list[Group]:
    candidates = (
        ctx.votes()
        .filter(ip__isnull=False)
        .values("ip")
        .annotate(n=Count("id"))
        .filter(n__gte=SAME_IP_MIN_VOTERS)
        .values_list("ip", flat=True)
    )
    rows = (
        ctx.annotated()
        .filter(ip__in=list(candidates))
        .values("ip")
        .annotate(**STATS)
        .filter(voters__gte=SAME_IP_MIN_VOTERS)
        .order_by("-voters", "ip")
    )
    return [ctx.group(r, r["ip"], ctx.votes().filter(ip=r["ip"]), ip=r["ip"]) for r in rows]


def subnet_agent(ctx: Context) -> list[Group]:
    networks = ctx.votes().filter(ip__isnull=False).annotate(subnet=Subnet("ip"))
    candidates = (  # networks with enough votes in any browser (small keys hash fast)
        networks.values("subnet")
        .annotate(n=Count("id"))
        .filter(n__gte=SUBNET_MIN_VOTERS)
        .values_list("subnet", flat=True)
    )
    rows = (
        networks.annotate(is_excluded=excluded_exists())
        .filter(subnet__in=list(candidates))
        .order_by()
        .values("subnet", "user_agent")
        .annotate(**STATS)
        .filter(voters__gte=SUBNET_MIN_VOTERS)
        .order_by("-voters", "subnet")
    )
    groups = []
    for r in rows:
        votes = networks.filter(subnet=r["subnet"], user_agent=r["user_agent"])
        key = f"{r['subnet']}|{digest(r['user_agent'])}"
        groups.append(ctx.group(r, key, votes, ip=r["subnet"], user_agent=r["user_agent"]))
    return groups
