"""The city-to-city support scheme: requests for help, expert profiles, invitations, visits, reports.

A partner city asks for know-how on a concrete local project (a `SupportRequest`); experts describe
what they know (`ExpertProfile`); the network's coordinator invites the best matches
(`ExpertInvitation`); an accepted invitation leads to a `Visit`, and both sides report on it in the
URBACT terms of transfer — what was understood, what will be adapted, what is re-used
(`VisitReport`), with `TransferItem`s pointing at the receiving city's plan actions.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.models import CoreTask, Partnership, check_language_codes


def language_list(codes: str) -> list[str]:
    return [code.strip() for code in (codes or "").split(",") if code.strip()]


class ExpertProfile(Versioned):
    """What one person offers to the scheme. The text is embedded in the background on save."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profile",
        verbose_name=_("person"),
    )
    headline = models.CharField(
        _("headline"), max_length=200, help_text=_("One line: who you are and what you know.")
    )
    bio = models.TextField(_("biography"), blank=True)
    skills = models.TextField(
        _("skills"), blank=True, help_text=_("What you can help with, one skill per line.")
    )
    languages = models.CharField(
        _("languages"),
        max_length=60,
        help_text=_("Language codes you work in, separated by commas, e.g. de,en,it"),
    )
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="expert_profiles", verbose_name=_("core tasks")
    )
    practices_led = models.TextField(
        _("practices led"),
        blank=True,
        help_text=_("Good practices you led or worked on, one per line."),
    )
    home_city = models.CharField(_("home city"), max_length=120, blank=True)
    is_available = models.BooleanField(_("open to invitations"), default=True)
    # The meaning of the profile (multilingual-e5 passage vector, float32) and the text it was
    # computed from, so a save that changes nothing of the text does not embed again.
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_text_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return f"{self.user} — {self.headline}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:expert", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return language_list(self.languages)

    @property
    def skill_list(self) -> list[str]:
        return [line.strip() for line in self.skills.splitlines() if line.strip()]

    @property
    def practice_list(self) -> list[str]:
        return [line.strip() for line in self.practices_led.splitlines() if line.strip()]

    def meaning_text(self) -> str:
        """What the profile's vector stands for: headline, skills, practices and biography."""
        parts = [self.headline, ". ".join(self.skill_list), ". ".join(self.practice_list), self.bio]
        return "\n".join(part for part in parts if part.strip())

    def clean(self):
        super().clean()
        check_language_codes("languages", self.language_list)
        if not self.language_list:
            raise ValidationError({"languages": _("Name at least one language.")})


class Availability(models.Model):
    """A stretch of days on which the expert could travel."""

    profile = models.ForeignKey(
        ExpertProfile,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("expert profile"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["profile", "starts_on"]
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.CheckConstraint(
                name="availability_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


class SupportRequest(Versioned):
    """A partner city asks the network for know-how on one of its local projects."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched")
        VISIT_PLANNED = "visit_planned", _("visit planned")
        CLOSED = "closed", _("closed")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="support_requests",
        verbose_name=_("city in the network"),
    )
    title = models.CharField(_("title"), max_length=200)
    project = models.CharField(
        _("local project"), max_length=200, help_text=_("The local project the help is for.")
    )
    plan_action = models.ForeignKey(
        "actionplans.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
        verbose_name=_("action of the Local Action Plan"),
    )
    problem = models.TextField(_("the problem"))
    know_how = models.TextField(_("know-how needed"))
    preferred_start = models.DateField(_("preferred from"), null=True, blank=True)
    preferred_end = models.DateField(_("preferred until"), null=True, blank=True)
    languages = models.CharField(
        _("working languages"),
        max_length=60,
        help_text=_("Language codes the visit can be held in, separated by commas, e.g. bg,en"),
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="support_requests", verbose_name=_("core tasks")
    )
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
        verbose_name=_("posted by"),
    )
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_text_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["status", "-created_at"], name="support_request_status")]
        constraints = [
            models.CheckConstraint(
                name="support_request_dates_in_order",
                condition=models.Q(preferred_end__isnull=True)
                | models.Q(preferred_start__isnull=True)
                | models.Q(preferred_end__gte=models.F("preferred_start")),
            ),
            models.CheckConstraint(
                name="support_request_budget_not_negative",
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:request", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return language_list(self.languages)

    def meaning_text(self) -> str:
        """What the request's vector stands for: title, project, problem and know-how needed."""
        return "\n".join(
            part for part in [self.title, self.project, self.know_how, self.problem] if part.strip()
        )

    def clean(self):
        super().clean()
        errors = {}
        try:
            check_language_codes("languages", self.language_list)
        except ValidationError as error:
            errors.update(error.message_dict)
        if not self.language_list:
            errors.setdefault("languages", [_("Name at least one language.")])
        start, end = self.preferred_start, self.preferred_end
        if start and end and end < start:
            errors["preferred_end"] = [_("The end date is before the start date.")]
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() and the field validators say the same as these constraints, naming the field.
        super().validate_constraints(exclude={*(exclude or ()), "preferred_end", "budget"})


class ExpertInvitation(Versioned):
    """The coordinator asks one expert to help with one request; the expert accepts or declines."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("support request"),
    )
    expert = models.ForeignKey(
        ExpertProfile,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("expert"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    message = models.TextField(_("message"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    # The match as the coordinator saw it when inviting (score and reasons), kept for the record.
    match = models.JSONField(_("match"), default=dict, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "created_at"]
        verbose_name = _("invitation of an expert")
        verbose_name_plural = _("invitations of experts")
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="one_invitation_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert.user} → {self.request}"


class Visit(Versioned):
    """The expert's trip to the requesting city; its agenda is a meeting of kind site visit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("support request"),
    )
    experts = models.ManyToManyField(
        ExpertProfile, related_name="visits", verbose_name=_("travelling experts")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    travel = models.TextField(
        _("travel"), blank=True, help_text=_("Journey, accommodation and who pays for what.")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_visit",
        verbose_name=_("site visit in the calendar"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                name="visit_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} ({self.starts_on})"

    def get_absolute_url(self) -> str:
        return reverse("exchange:visit", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


class VisitReport(Versioned):
    """One side's account of the transfer, in the URBACT terms: understand, adapt, re-use."""

    class Side(models.TextChoices):
        HOST = "host", _("receiving city")
        EXPERT = "expert", _("visiting expert")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="reports", verbose_name=_("visit")
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    understood = models.TextField(_("what was understood"))
    adapted = models.TextField(_("what will be adapted"), blank=True)
    reused = models.TextField(_("what is re-used"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    submitted_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        ordering = ["visit", "side"]
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        constraints = [
            models.UniqueConstraint(fields=["visit", "side"], name="one_report_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.visit}"


class TransferItem(models.Model):
    """What the transfer changes in the receiving city's plan: one report line tied to one action."""

    class Stage(models.TextChoices):
        ADAPT = "adapt", _("to be adapted")
        REUSE = "reuse", _("re-used")

    report = models.ForeignKey(
        VisitReport, on_delete=models.CASCADE, related_name="items", verbose_name=_("report")
    )
    action = models.ForeignKey(
        "actionplans.Action",
        on_delete=models.CASCADE,
        related_name="transfer_items",
        verbose_name=_("action of the Local Action Plan"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    note = models.CharField(_("what is taken over"), max_length=300)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("transfer item")
        verbose_name_plural = _("transfer items")

    def __str__(self) -> str:
        return self.note
