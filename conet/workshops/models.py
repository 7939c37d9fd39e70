"""Future Workshops (Robert Jungk): a facilitator runs critique, fantasy and implementation live;
every phone is a pinboard. Cards, clusters and dots are stored first and broadcast after commit;
every change is also appended to the workshop's numbered event log, from which a phone that
lost its connection catches up."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.models import City, Network

# Unambiguous on a projector and easy to type on a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def _optional_fk(to, related_name: str, verbose_name) -> models.ForeignKey:
    """A link that may be empty and is emptied when its target is deleted."""
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Workshop(Versioned):
    class Status(models.TextChoices):
        PREPARATION = "preparation", _("in preparation")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("network"),
    )
    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("city"),
    )
    localgroup = _optional_fk(
        "localgroups.LocalSupportGroup", "workshops", _("Local Support Group")
    )
    title = models.CharField(_("title"), max_length=200)
    guiding_question = models.CharField(_("guiding question"), max_length=300)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    code = models.CharField(
        _("join code"), max_length=12, unique=True, default=new_join_code, editable=False
    )
    anonymous_cards = models.BooleanField(
        _("cards are anonymous"),
        default=True,
        help_text=_("Nobody, not even the facilitator, sees who wrote a card."),
    )
    card_max_length = models.PositiveSmallIntegerField(
        _("card length limit"),
        default=140,
        validators=[MinValueValidator(20), MaxValueValidator(500)],
    )
    dots_stacking_allowed = models.BooleanField(
        _("several dots on one cluster"),
        default=False,
        help_text=_("Whether a participant may put more than one dot on the same cluster."),
    )
    participants_may_cluster = models.BooleanField(
        _("participants may cluster cards"), default=False
    )
    locked = models.BooleanField(_("board locked"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitators"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The number of the last event in this workshop's log (see WorkshopEvent).
    last_event_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Future Workshop")
        verbose_name_plural = _("Future Workshops")
        ordering = ["-starts_at"]
        constraints = [
            # Who may see and run a workshop is decided by its city or its network; one with
            # neither would belong to nobody.
            models.CheckConstraint(
                condition=Q(city__isnull=False) | Q(network__isnull=False),
                name="workshop_belongs_to_city_or_network",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # The event counter is only ever advanced by events.emit(); a full save of an instance
        # loaded earlier must not wind it back (that would hand out a number twice).
        if not self._state.adding and not kwargs.get("update_fields"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "last_event_seq"
            ]
        super().save(*args, **kwargs)

    @property
    def current_phase(self) -> "Phase | None":
        for phase in self.phases.all():
            if phase.state == Phase.State.OPEN:
                return phase
        return None


class Phase(models.Model):
    class Kind(models.TextChoices):
        CRITIQUE = "critique", _("Critique")
        FANTASY = "fantasy", _("Fantasy")
        IMPLEMENTATION = "implementation", _("Implementation")

    class State(models.TextChoices):
        PENDING = "pending", _("not started")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Step(models.TextChoices):
        WRITE = "write", _("writing cards")
        CLUSTER = "cluster", _("clustering")
        VOTE = "vote", _("dot voting")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="phases", verbose_name=_("workshop")
    )
    kind = models.CharField(_("phase"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    step = models.CharField(_("step"), max_length=8, choices=Step.choices, default=Step.WRITE)
    time_box_minutes = models.PositiveSmallIntegerField(
        _("time box (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    dots_per_person = models.PositiveSmallIntegerField(
        _("dots per person"), default=3, validators=[MaxValueValidator(50)]
    )
    timer_ends_at = models.DateTimeField(_("timer ends at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["workshop", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "kind"], name="unique_workshop_phase_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Table(models.Model):
    """A working group with its own board (≤ 20 people, one facilitator each)."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="tables", verbose_name=_("workshop")
    )
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["workshop", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="unique_workshop_table_name")
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """Someone on a phone, usually without an account; recognised by a secret device token
    (only its hash is stored) kept in a cookie."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name=_("workshop")
    )
    table = _optional_fk(Table, "participants", _("table"))
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = _optional_fk(settings.AUTH_USER_MODEL, "workshop_participations", _("user"))
    removed = models.BooleanField(_("removed"), default=False)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["workshop", "joined_at", "pk"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.anonymous or not self.display_name:
            return str(_("Anonymous"))
        return self.display_name


class Cluster(Versioned):
    """Cards that belong together, with a title; chosen clusters carry on to the next phase."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="clusters", verbose_name=_("workshop")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="clusters", verbose_name=_("phase")
    )
    table = models.ForeignKey(
        Table,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="clusters",
        verbose_name=_("table"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    suggested = models.BooleanField(
        _("suggested"), default=False, help_text=_("Proposed from the cards' meaning.")
    )
    chosen = models.BooleanField(_("chosen"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["phase", "order", "pk"]

    def __str__(self) -> str:
        return self.title or str(_("Untitled cluster"))


class Card(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="cards", verbose_name=_("workshop")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="cards", verbose_name=_("phase")
    )
    table = _optional_fk(Table, "cards", _("table"))
    participant = _optional_fk(Participant, "cards", _("participant"))
    # A card typed in by a facilitator (e.g. copied from a paper board) has no participant.
    written_by = _optional_fk(settings.AUTH_USER_MODEL, "+", _("written by"))
    text = models.TextField(_("text"))
    cluster = _optional_fk(Cluster, "cards", _("cluster"))
    order = models.PositiveIntegerField(_("order"), default=0)
    responds_to = _optional_fk(Cluster, "responses", _("responds to critique"))
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    hidden_by = _optional_fk(settings.AUTH_USER_MODEL, "+", _("hidden by"))
    # Chosen by the phone, so that a card re-sent after a lost connection is stored once.
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["phase", "order", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "client_id"],
                condition=~Q(client_id=""),
                name="unique_workshop_card_client_id",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Dot(models.Model):
    """A participant's dots on one cluster; `count` > 1 only where stacking is allowed."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="dots", verbose_name=_("participant")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="dots", verbose_name=_("cluster")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="dots", verbose_name=_("phase")
    )
    count = models.PositiveSmallIntegerField(_("dots"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "cluster"], name="unique_participant_cluster_dot"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="dot_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.cluster} ×{self.count}"


class Proposal(Versioned):
    """A chosen utopia turned into something concrete in the implementation phase."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("workshop")
    )
    cluster = _optional_fk(Cluster, "proposals", _("utopia"))
    table = _optional_fk(Table, "proposals", _("table"))
    title = models.CharField(_("title"), max_length=200)
    what = models.TextField(_("what exactly"), blank=True)
    who_helps = models.TextField(_("who helps"), blank=True)
    start_when = models.CharField(_("when we start"), max_length=200, blank=True)
    first_step = models.TextField(_("first step"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    action = _optional_fk(
        "actionplans.Action", "workshop_proposals", _("action in the Local Action Plan")
    )
    created_by_participant = _optional_fk(Participant, "proposals", _("proposed by"))
    created_by = _optional_fk(settings.AUTH_USER_MODEL, "+", _("created by"))
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["workshop", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ProposalHelper(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="helpers", verbose_name=_("proposal")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="helping",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"], name="unique_proposal_helper"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.proposal}"


def board_photo_path(instance, filename: str) -> str:
    # Kept for migration 0001: photos of paper boards are now conet/core/photos (migration 0003).
    return f"workshops/{instance.workshop_id}/photos/{filename}"


class WorkshopEvent(models.Model):
    """The numbered log of everything that happened on the board. Written in the same transaction
    as the change, broadcast after commit; a phone that reconnects sends the last number it saw
    and receives the rest from here. `table` None means every screen of the workshop."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="events", verbose_name=_("workshop")
    )
    seq = models.PositiveBigIntegerField(_("number"))
    table = models.ForeignKey(
        Table,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("table"),
    )
    # The number of the event before this one for the same screens (the same table, or the
    # workshop-wide ones), 0 for the first. A phone hears only part of the numbers, so this is how
    # it knows it has missed one: see events.py, "A phone's gaps".
    prev = models.PositiveBigIntegerField(_("previous number for the same screens"), default=0)
    kind = models.CharField(_("kind"), max_length=32)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("board event")
        verbose_name_plural = _("board events")
        ordering = ["workshop", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "seq"], name="unique_workshop_event_seq")
        ]
        # The previous event of a table (or of the workshop-wide ones), read for every new event.
        indexes = [models.Index(fields=["workshop", "table", "seq"], name="workshop_event_chain")]

    def __str__(self) -> str:
        return f"{self.workshop_id}#{self.seq} {self.kind}"
