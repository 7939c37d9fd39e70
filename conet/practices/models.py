"""Good practices (the URBACT record), interviews, approach texts and a network's guide.

A good practice keeps every field of the URBACT Good Practice database, in the language it was
written in; `source_key` names the row it came from, so importing the same file again finds it.
The guide is compiled from the rest: one chapter per core task with the network's approach text,
chosen practices and excerpts of interviews whose person agreed to publication.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conet.core.models import Versioned
from conet.networks.countries import country_name
from conet.networks.models import City, CoreTask, Network, check_language_codes


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class GoodPractice(Versioned):
    """One good practice, field for field as the URBACT Good Practice database keeps it."""

    source_key = models.CharField(
        _("source key"),
        max_length=120,
        unique=True,
        help_text=_("Names the record in the file it came from, so a new import finds it again."),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=250)
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="good_practices",
        verbose_name=_("city on this platform"),
    )
    city_name = models.CharField(_("city"), max_length=120)
    city_ascii_name = models.CharField(_("city name in ASCII"), max_length=120, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_class = models.CharField(_("city size"), max_length=40, blank=True)
    size_class = models.CharField(_("URBACT size class"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=80)
    country_code = models.CharField(_("country code"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    continent = models.CharField(_("continent"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.CharField(_("short description"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("start"), null=True, blank=True)
    start_period = models.CharField(_("start period"), max_length=40, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    end_note = models.CharField(
        _("end as written"),
        max_length=120,
        blank=True,
        help_text=_("The end as the source gives it, e.g. “Annual” or “March 2017”."),
    )
    budget = models.PositiveBigIntegerField(
        _("budget in euros"), null=True, blank=True, help_text=_("Empty when not known.")
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    keywords_2020 = models.JSONField(_("keywords (2020 thesaurus)"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    integrated_approach = models.TextField(_("integrated approach"), blank=True)
    participation = models.TextField(_("participation"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    transferability = models.TextField(_("transferability"), blank=True)
    labelled_on = models.DateField(_("labelled on"), null=True, blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="good_practices",
        verbose_name=_("network"),
    )
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="good_practices", verbose_name=_("core tasks")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The fields an import or export carries, in the order of the URBACT file.
    RECORD_FIELDS = [
        "name", "city_name", "population", "country", "description", "start_year", "end_year",
        "ongoing", "end_note", "labelled_on", "budget", "keywords", "summary", "solution",
        "integrated_approach", "participation", "outcomes", "transferability", "country_code",
        "region", "continent", "population_class", "start_period", "location", "longitude",
        "latitude", "keywords_2020", "geonames_id", "city_ascii_name", "size_class", "language",
    ]  # fmt: skip
    TEXT_SECTIONS = [
        "summary", "solution", "integrated_approach", "participation", "outcomes",
        "transferability",
    ]  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [models.Index(fields=["status", "country_code"])]
        constraints = [
            models.CheckConstraint(
                name="practice_ends_after_start",
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def country_display(self) -> str:
        return country_name(self.country_code) if self.country_code else self.country

    @property
    def full_text(self) -> str:
        return "\n\n".join(
            getattr(self, name) for name in self.TEXT_SECTIONS if getattr(self, name)
        )

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end is before the start.")})
        if self.ongoing and self.end_year:
            raise ValidationError({"end_year": _("An ongoing practice has no end year.")})
        check_language_codes("language", [self.language])


class Attachment(models.Model):
    """An image, a document or a link that belongs to a practice."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        DOCUMENT = "document", _("document")
        LINK = "link", _("link")

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="practices/%Y/", blank=True)
    url = models.URLField(_("address"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                name="attachment_has_file_or_url",
                condition=(models.Q(kind="link") & ~models.Q(url=""))
                | (~models.Q(kind="link") & ~models.Q(file="")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.url if self.kind == self.Kind.LINK else self.file.url


class LabelAssessment(models.Model):
    """One of the four URBACT Good Practice label criteria, assessed for one practice."""

    class Criterion(models.TextChoices):
        EUROPEAN_RELEVANCE = "european_relevance", _("Relevance at European level")
        PARTICIPATORY_INTEGRATED = (
            "participatory_integrated",
            _("Participatory and integrated approach"),
        )
        LOCAL_IMPACT = "local_impact", _("Positive local impact")
        TRANSFERABILITY = "transferability", _("Transferability")

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="label_assessments"
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    met = models.BooleanField(_("met"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        ordering = ["practice", "criterion"]
        verbose_name = _("label assessment")
        verbose_name_plural = _("label assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "criterion"], name="one_assessment_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.get_criterion_display()}"


class Interview(Versioned):
    """A conversation with a practitioner or politician; published only with their consent."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="interviews")
    person_name = models.CharField(_("person"), max_length=200)
    person_role = models.CharField(_("role"), max_length=200)
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    city_name = models.CharField(_("city"), max_length=120, blank=True)
    interviewed_on = models.DateField(_("date"))
    introduction = models.TextField(_("introduction"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    is_demo = models.BooleanField(_("invented for the demo"), default=False)
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="interviews", verbose_name=_("core tasks")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-interviewed_on", "person_name"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            # The database itself refuses to publish what the person has not agreed to.
            models.CheckConstraint(
                name="interview_published_only_with_consent",
                condition=~models.Q(status="published") | models.Q(consent_to_publish=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.person_role})"

    def get_absolute_url(self) -> str:
        return reverse("practices:interview", args=[self.network.slug, self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and not self.consent_to_publish:
            raise ValidationError(
                {"status": _("Only an interview whose person agreed may be published.")}
            )
        check_language_codes("language", [self.language])


class InterviewAnswer(models.Model):
    """One question and its answer; the guide quotes answers as excerpts."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))

    class Meta:
        ordering = ["interview", "position"]
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self) -> str:
        return self.question[:80]


class ApproachText(Versioned):
    """A network's academic approach to one of its core tasks: the opening of that guide chapter."""

    core_task = models.OneToOneField(
        CoreTask, on_delete=models.CASCADE, related_name="approach", verbose_name=_("core task")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Markdown: **bold**, lists, links."))
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("approach text")
        verbose_name_plural = _("approach texts")

    def __str__(self) -> str:
        return self.title


class Guide(Versioned):
    """A network's guide: an introduction and one chapter per core task.

    `version` grows with every change to the guide or a chapter, so the PDF is kept per version.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="guides")
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    language = models.CharField(_("language of the text"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["network", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="unique_guide_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:guide", args=[self.network.slug, self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class GuideChapter(models.Model):
    """The chapter of a guide for one core task: its approach text, chosen practices and excerpts."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="chapters")
    core_task = models.ForeignKey(CoreTask, on_delete=models.PROTECT, related_name="+")
    introduction = models.TextField(_("introduction to the chapter"), blank=True)
    practices = models.ManyToManyField(
        GoodPractice, blank=True, related_name="guide_chapters", verbose_name=_("good practices")
    )
    excerpts = models.ManyToManyField(
        InterviewAnswer, blank=True, related_name="guide_chapters", verbose_name=_("excerpts")
    )

    class Meta:
        ordering = ["guide", "core_task__number"]
        verbose_name = _("guide chapter")
        verbose_name_plural = _("guide chapters")
        constraints = [
            models.UniqueConstraint(fields=["guide", "core_task"], name="one_chapter_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.guide}: {self.core_task}"

    def get_absolute_url(self) -> str:
        return reverse(
            "practices:chapter",
            args=[self.guide.network.slug, self.guide.slug, self.core_task.number],
        )

    @property
    def number(self) -> int:
        return self.core_task.number
