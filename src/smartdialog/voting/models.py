"""The public vote: voters, the ballot, votes, their sealed log and exclusions.

Personal data (phone, e-mail) lives on `Voter` only; a `Vote` holds the voter's id and the
region as it was when cast. Votes are never updated or deleted: exclusions are separate,
reversible rows, and sealing writes `SealedBatch` rows that chain the votes by hash.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _pseudonym() -> str:
    return secrets.token_hex(8)


class Voter(models.Model):
    """One person: a verified phone (E.164) or e-mail, unique; region of residence."""

    phone = models.CharField(_("phone"), max_length=16, unique=True, null=True, blank=True)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    pseudonym = models.CharField(max_length=16, unique=True, default=_pseudonym)
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of residence"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phone__isnull=False) | models.Q(email__isnull=False),
                name="voter_has_identity",
            )
        ]

    def __str__(self):
        return self.pseudonym


class VerificationCode(models.Model):
    """A one-time code sent by SMS or e-mail; only its hash is kept."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    destination = models.CharField(max_length=254, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel} {self.destination}"


class Ballot(models.Model):
    """An edition's vote: its window and what is on it."""

    class Content(models.TextChoices):
        WINNERS = "winners", _("winners")
        FINALISTS = "finalists", _("finalists")

    edition = models.OneToOneField(
        "contests.Edition", on_delete=models.PROTECT, related_name="ballot"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    content = models.CharField(
        _("on the ballot"), max_length=10, choices=Content.choices, default=Content.WINNERS
    )
    choices_per_section = models.PositiveSmallIntegerField(_("choices per section"), default=1)
    live_results = models.BooleanField(_("show live counts during the vote"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="ballot_window"
            ),
            models.CheckConstraint(
                condition=models.Q(choices_per_section__gte=1), name="ballot_at_least_one_choice"
            ),
        ]

    def __str__(self):
        return f"{self.edition}: {self.opens_at:%Y-%m-%d} – {self.closes_at:%Y-%m-%d}"

    @property
    def audit_edition(self):
        return self.edition


class BallotSection(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="sections")
    direction = models.ForeignKey(
        "contests.Direction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ballot", "order"]

    def __str__(self):
        return self.title


class BallotEntry(models.Model):
    section = models.ForeignKey(BallotSection, on_delete=models.PROTECT, related_name="entries")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "submission"], name="entry_once_per_section")
        ]

    def __str__(self):
        return f"{self.section}: {self.submission_id}"


class SealedBatch(models.Model):
    """A run of votes sealed into the hash chain: hash = sha256(previous hash + votes' lines)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    votes = models.PositiveIntegerField()
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ballot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "number"], name="batch_number_unique")
        ]

    def __str__(self):
        return f"#{self.number} {self.hash[:12]}"


class Vote(models.Model):
    """One choice in one section. `slot` numbers a voter's choices in a section (1…N), so
    the database itself refuses a vote beyond the ballot's number of choices."""

    # No index of their own for ballot, entry and voter: the composite indexes and unique
    # constraints below start with them, and every index is written by every vote.
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    section = models.ForeignKey(BallotSection, on_delete=models.PROTECT, related_name="votes")
    entry = models.ForeignKey(
        BallotEntry, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="votes", db_index=False)
    slot = models.PositiveSmallIntegerField(default=1)
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the voter's region when the vote was cast",
    )
    cast_at = models.DateTimeField(default=timezone.now, db_index=True)
    receipt = models.CharField(max_length=32)  # unique by a constraint: no LIKE index
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    batch = models.ForeignKey(
        SealedBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="sealed_votes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "section", "slot"], name="one_vote_per_slot"),
            models.UniqueConstraint(fields=["voter", "entry"], name="one_vote_per_entry"),
            models.UniqueConstraint(fields=["receipt"], name="vote_receipt_unique"),
        ]
        indexes = [
            models.Index(fields=["ballot", "batch"], name="vote_unsealed"),
            models.Index(fields=["entry", "region"], name="vote_entry_region"),
            # Distinct voters per region (`results.figures`): read in this order, with the
            # vote's id for the exclusions, by an index-only scan with no sort.
            models.Index(
                fields=["ballot", "voter", "region"],
                include=["id"],
                name="vote_ballot_voter_region",
            ),
        ]

    def __str__(self):
        return self.receipt


class VoteExclusion(models.Model):
    """An organiser's exclusion of a suspicious vote; reversible, audited, never a delete."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="exclusions")
    reason = models.TextField(_("reason"))
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    excluded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signal = models.CharField(
        max_length=20,
        blank=True,
        help_text="the anomaly signal when a whole group was excluded at once",
    )
    group = models.CharField(
        max_length=200, blank=True, help_text="the signal's group key, to restore it as a whole"
    )

    class Meta:
        indexes = [models.Index(fields=["signal", "group"], name="exclusion_group")]
        constraints = [
            models.UniqueConstraint(
                fields=["vote"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_exclusion",
            )
        ]

    def __str__(self):
        return f"{self.vote_id}: {self.reason[:40]}"
