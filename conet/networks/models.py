"""Networks of cities, the cities, their partnerships, organisations and their fact sheets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.countries import COUNTRIES, country_name


def check_language_codes(field: str, codes: list[str]) -> None:
    """Refuse language codes the platform does not know, naming the field they came from."""
    known = {code for code, _name in settings.LANGUAGES}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown language code: %(codes)s. Use codes such as %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known))}
            }
        )


class Organisation(models.Model):
    """An organisation that runs networks and projects (e.g. CESIE in Palermo)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    city_name = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:organisation", args=[self.slug])

    def get_country_display(self) -> str:
        return country_name(self.country)


class Network(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DEVELOPMENT = "development", _("development phase")
        IMPLEMENTATION = "implementation", _("implementation phase")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    results = models.TextField(_("results"), blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    funding = models.CharField(_("funding"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    contact_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="networks",
        verbose_name=_("contact organisation"),
    )
    contacts = models.TextField(_("contacts"), blank=True)
    language = models.CharField(_("language of the texts"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                name="network_ends_after_start",
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:network", args=[self.slug])

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        check_language_codes("language", [self.language])


class City(Versioned):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    languages = models.CharField(
        _("languages"),
        max_length=60,
        blank=True,
        help_text=_("Language codes spoken in the city's work, separated by commas, e.g. de,en"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(
                name="city_latitude_range", condition=models.Q(latitude__gte=-90, latitude__lte=90)
            ),
            models.CheckConstraint(
                name="city_longitude_range",
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:city", args=[self.slug])

    def get_country_display(self) -> str:
        return country_name(self.country)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def clean(self):
        super().clean()
        check_language_codes("languages", self.language_list)


class Partnership(Versioned):
    """A city's part in a network, with the focus area its Local Support Group works on."""

    class Role(models.TextChoices):
        LEAD_PARTNER = "lead_partner", _("lead partner")
        PARTNER = "partner", _("partner")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("network")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    focus_area_name = models.CharField(_("focus area"), max_length=200, blank=True)
    focus_area_description = models.TextField(_("focus area description"), blank=True)
    # The focus area's page: /networks/<network>/<city>/<focus_area_slug>/ (services fill it in
    # from the name and refuse one that another page under the partnership already answers).
    focus_area_slug = models.SlugField(
        _("focus area's short name in addresses"), max_length=80, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["network", "role", "city__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["network", "city"], name="one_partnership_per_city"),
            models.UniqueConstraint(
                fields=["network"],
                condition=models.Q(role="lead_partner"),
                name="one_lead_partner_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} in {self.network}"

    def save(self, *args, **kwargs):
        if self.focus_area_name.strip() and not self.focus_area_slug:
            self.focus_area_slug = self.free_focus_area_slug()
        super().save(*args, **kwargs)

    @property
    def is_lead_partner(self) -> bool:
        return self.role == self.Role.LEAD_PARTNER

    def focus_area_address_taken(self, slug: str) -> bool:
        """Whether another page already answers /networks/<network>/<city>/<slug>/ (the plan, the
        Local Support Group, a page of the network such as its guides)."""
        path = reverse("networks:focus_area", args=[self.network.slug, self.city.slug, slug])
        try:
            return resolve(path).view_name != "networks:focus_area"
        except Resolver404:
            return True

    def free_focus_area_slug(self) -> str:
        """An address made from the focus area's name that no other page answers (plan → plan-2)."""
        base = slugify(self.focus_area_name)[:70] or "area"
        candidate, number = base, 1
        while self.focus_area_address_taken(candidate):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def get_focus_area_url(self) -> str:
        """The focus area's public page, or "" where the partnership names none."""
        if not (self.focus_area_name and self.focus_area_slug):
            return ""
        return reverse(
            "networks:focus_area", args=[self.network.slug, self.city.slug, self.focus_area_slug]
        )


class CoreTask(models.Model):
    """One entry of a network's taxonomy (practices, actions, meetings and requests are tagged with it)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="core_tasks", verbose_name=_("network")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    names = models.JSONField(_("names by language"), default=dict)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1b6ca8")

    class Meta:
        ordering = ["network", "number"]
        verbose_name = _("core task")
        verbose_name_plural = _("core tasks")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="unique_core_task_number")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = translation.get_language() or "en"
        return (
            self.names.get(language)
            or self.names.get(language.split("-")[0])
            or self.names.get("en")
            or self.original_name
        )


class FactSheet(models.Model):
    """A project an organisation runs, as it presents it in its portfolio."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="fact_sheets",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    url = models.URLField(_("web page"), blank=True)
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fact_sheets",
        verbose_name=_("network on this platform"),
    )
    language = models.CharField(_("language of the text"), max_length=8, default="en")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("fact sheet")
        verbose_name_plural = _("fact sheets")

    def __str__(self) -> str:
        return self.title
