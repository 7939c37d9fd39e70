"""Meetings of a network: thematic meetings, Local Support Group meetings and site visits.

Times are stored as aware datetimes (UTC in the database) together with the IANA name of the
meeting's time zone, so pages and calendar files show the local time of the place it happens in,
across daylight-saving changes.
"""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.models import City, CoreTask, Network


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(name)s is not a time zone name such as Europe/Berlin.") % {"name": name}
        )


# Meetings happen between these years. Year 1 or 9999 is a typing slip or a probe; calendars
# (and the time-zone rules written into them) cannot hold what lies a year beyond either end.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _check_years(instance, fields: list[str]) -> None:
    for name in fields:
        moment = getattr(instance, name)
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(
                {
                    name: _("Choose a date between the years %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                }
            )


class Meeting(Versioned):
    FIRST_YEAR, LAST_YEAR = FIRST_YEAR, LAST_YEAR

    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("thematic meeting")
        LSG = "lsg", _("Local Support Group meeting")
        SITE_VISIT = "site_visit", _("site visit")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    host_city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("host city"),
        help_text=_("The partner city the meeting takes place in (for an LSG meeting: its city)."),
    )
    local_group = models.ForeignKey(
        "localgroups.LocalSupportGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("Local Support Group"),
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language of the texts"), max_length=8, default="en")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty for no limit; when the seats are taken, people join a waiting list."
        ),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    is_public = models.BooleanField(
        _("public page"), default=True, help_text=_("Visitors can read the page and the agenda.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="meetings", verbose_name=_("core tasks")
    )
    plan_actions = models.ManyToManyField(
        "actionplans.Action", blank=True, related_name="meetings", verbose_name=_("plan actions")
    )
    practices = models.ManyToManyField(
        "practices.GoodPractice",
        blank=True,
        related_name="meetings",
        verbose_name=_("good practices"),
        help_text=_("Practices presented at the meeting or that came out of it."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    needs_erased_at = models.DateTimeField(
        _("needs erased at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["network", "starts_at"], name="meeting_calendar")]
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=models.Q(ends_at__gte=models.F("starts_at")),
            ),
            models.CheckConstraint(
                name="meeting_capacity_positive",
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    def clean(self):
        super().clean()
        _check_years(self, ["starts_at", "ends_at"])
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting ends before it starts.")})
        if self.kind == self.Kind.LSG and self.local_group_id is None:
            raise ValidationError({"local_group": _("An LSG meeting belongs to a city's group.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class AgendaItem(Versioned):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        _check_years(self, ["starts_at", "ends_at"])
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The item ends before it starts.")})

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.meeting.zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.meeting.zone) if self.ends_at else None


def document_path(instance, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{secrets.token_hex(8)}-{filename}"


class MeetingDocument(models.Model):
    """A file shared for a meeting (slides, a paper), checked for type and size on upload."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "uploaded_at", "pk"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """One person's place at a meeting: registered, on the waiting list, or cancelled.

    Accessibility and dietary needs are kept only with the person's consent, and erased by the
    retention rule a few days after the meeting.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # The waiting list is served in the order people joined it.
    waitlisted_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    needs_consent = models.BooleanField(_("consent to keep needs"), default=False)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person"),
            models.CheckConstraint(
                name="registration_needs_only_with_consent",
                condition=models.Q(needs_consent=True)
                | (models.Q(accessibility_needs="") & models.Q(dietary_needs="")),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"], name="registration_status")]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting} ({self.status})"


class CalendarFeed(models.Model):
    """A person's secret calendar address: whoever knows it can read their meetings, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(_("secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
