"""Opinion-mapping consultations (DOMAIN.md §6): statements, votes, participants and the stored groups.

A consultation belongs to a city and, optionally, to one of the networks the city works in.
(Workshops and action plans will be able to own one when those apps exist.)
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.models import City, Network, check_language_codes

STATEMENT_MAX_LENGTH = 280  # what a person may type here
# What a statement imported from a Pol.is conversation may hold: real conversations have statements
# of up to 500 characters, and an import keeps the record as it was.
IMPORTED_STATEMENT_MAX_LENGTH = 1000


class Consultation(Versioned):
    class Moderation(models.TextChoices):
        BEFORE = "before", _("before publication: statements appear once accepted")
        AFTER = "after", _("after publication: statements appear at once, moderators may reject")

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("city")
    )
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("network"),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.AFTER
    )
    participants_may_add = models.BooleanField(_("participants may add statements"), default=True)
    # Every vote cast (a replaced vote too); the stored result says how many it had seen.
    votes_cast = models.PositiveIntegerField(_("votes cast"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                name="consultation_closes_after_opening",
                condition=models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
            )
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("consultations:vote", args=[self.slug])

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date is not after the opening.")})
        check_language_codes("language", [self.language])
        if (
            self.network_id
            and self.city_id
            and not self.network.partnerships.filter(city_id=self.city_id).exists()
        ):
            raise ValidationError({"network": _("The city is not a partner of this network.")})

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)


class Admission(models.TextChoices):
    PROOF = "proof", _("with the page's ticket and the browser's proof of work")
    PLAIN = "plain", _("without JavaScript")


class Participant(models.Model):
    """Someone taking part: a signed-in user, or a device known by the token in its signed cookie."""

    Admission = Admission

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("consultation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # Only the token's hash is stored: the database alone cannot impersonate a device.
    device_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The participant's id in the Pol.is conversation it was imported from. Pol.is ids have gaps
    # (people who joined and never voted); an export must give each person their id back.
    polis_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # How a device without a cookie came in (see admission.py), and a keyed hash of its client
    # address: enough to see many new participants from one address, never the address itself.
    admission = models.CharField(
        _("admission"), max_length=10, choices=Admission.choices, blank=True, editable=False
    )
    address_hash = models.CharField(max_length=16, blank=True, editable=False)
    # Set aside by a moderator as part of a suspicious burst: the votes stay stored and exported
    # (in set-aside-votes.csv) but count in no result.
    set_aside_at = models.DateTimeField(_("set aside at"), null=True, blank=True, editable=False)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("set aside by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["consultation", "address_hash", "created_at"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["consultation", "device_hash"],
                condition=~models.Q(device_hash=""),
                name="one_participant_per_device",
            ),
            models.UniqueConstraint(
                fields=["consultation", "polis_id"],
                condition=models.Q(polis_id__isnull=False),
                name="one_participant_per_polis_id",
            ),
            models.CheckConstraint(
                name="participant_is_user_or_device",
                condition=models.Q(user__isnull=False) | ~models.Q(device_hash=""),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @staticmethod
    def hash_device(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("consultation"),
    )
    # The statement's number in its consultation (Pol.is `comment-id`), from 0.
    number = models.PositiveIntegerField(_("number"))
    text = models.CharField(_("statement"), max_length=IMPORTED_STATEMENT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=8, default="en")
    author = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        verbose_name=_("author"),
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_reason = models.TextField(_("reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The plan actions this statement led to, set by the people who may edit the plan
    # (services.link_statement_to_action). Kept here, not in actionplans, which sits below.
    actions = models.ManyToManyField(
        "actionplans.Action",
        blank=True,
        related_name="consultation_statements",
        verbose_name=_("led to the actions"),
    )

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="unique_statement_number"
            )
        ]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("agree")
        DISAGREE = -1, _("disagree")
        PASS = 0, _("pass / unsure")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", verbose_name=_("participant")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", verbose_name=_("statement")
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_statement"
            ),
            models.CheckConstraint(
                name="vote_value_in_range", condition=models.Q(value__in=[-1, 0, 1])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_value_display()} {self.statement.number}"


class OpinionResult(models.Model):
    """The latest opinion groups of a consultation, with what they were computed from.

    `data` holds everything the pages draw (positions, groups, hulls, counts per group, representative
    and consensus statements) and the state the next recomputation starts from; see services.store_result.
    """

    consultation = models.OneToOneField(
        Consultation,
        on_delete=models.CASCADE,
        related_name="result",
        verbose_name=_("consultation"),
    )
    computed_at = models.DateTimeField(_("computed at"))
    votes_used = models.PositiveIntegerField(_("votes used"))
    votes_cast = models.PositiveIntegerField(_("votes cast when computed"))
    participants_placed = models.PositiveIntegerField(_("participants placed"))
    group_count = models.PositiveSmallIntegerField(_("groups"))
    seconds = models.FloatField(_("seconds to compute"))
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("opinion groups")
        verbose_name_plural = _("opinion groups")

    def __str__(self) -> str:
        return f"{self.consultation} ({self.votes_used} votes)"
