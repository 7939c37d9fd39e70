"""A city's Local Support Group in one network: its stakeholders, members and self-assessment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conet.core.models import Versioned
from conet.networks.models import Partnership


class LocalSupportGroup(Versioned):
    """One per partnership: the people who help the city write, validate and carry its plan."""

    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.CASCADE,
        related_name="local_support_group",
        verbose_name=_("partnership"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    self_assessment = models.TextField(
        _("self-assessment"),
        blank=True,
        help_text=_(
            "How well the group works: who is missing, what it has achieved, what to improve."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Local Support Group")
        verbose_name_plural = _("Local Support Groups")

    def __str__(self) -> str:
        return f"LSG {self.partnership.city} ({self.partnership.network})"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(Versioned):
    """An organisation or person that matters for the plan; members of the group are stakeholders too.

    Contact details are kept only while consent is recorded: withdrawing consent erases them.
    """

    class Sector(models.TextChoices):
        PUBLIC = "public", pgettext_lazy("sector of a stakeholder", "public")
        PRIVATE = "private", _("private")
        CIVIC = "civic", _("civic")
        KNOWLEDGE = "knowledge", _("knowledge")

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("primary stakeholder")
        SECONDARY = "secondary", _("secondary stakeholder")
        MISSING_VOICE = "missing_voice", _("missing voice")
        BLOCKER = "blocker", _("blocker")
        BENEFICIARY = "beneficiary", _("beneficiary")

    group = models.ForeignKey(
        LocalSupportGroup,
        on_delete=models.CASCADE,
        related_name="stakeholders",
        verbose_name=_("Local Support Group"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    power = models.PositiveSmallIntegerField(_("power (1–5)"), validators=SCORE, default=3)
    interest = models.PositiveSmallIntegerField(_("interest (1–5)"), validators=SCORE, default=3)
    is_member = models.BooleanField(_("member of the group"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_records",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    consent_given_at = models.DateTimeField(
        _("consent to keep contact details"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.CheckConstraint(
                name="stakeholder_contacts_need_consent",
                condition=models.Q(consent_given_at__isnull=False)
                | (models.Q(email="") & models.Q(phone="")),
            ),
            models.CheckConstraint(
                name="stakeholder_power_range", condition=models.Q(power__gte=1, power__lte=5)
            ),
            models.CheckConstraint(
                name="stakeholder_interest_range",
                condition=models.Q(interest__gte=1, interest__lte=5),
            ),
            models.UniqueConstraint(fields=["group", "name"], name="unique_stakeholder_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.consent_given_at is None and (self.email or self.phone):
            raise ValidationError(
                {"email": _("Contact details may be kept only when consent is recorded.")}
            )
