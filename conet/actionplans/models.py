"""Local Action Plans: one living plan per partnership, its sections, problem tree, objectives,
indicators and actions, the consultation log, peer reviews and frozen launched versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conet.core.models import Versioned
from conet.localgroups.models import Stakeholder
from conet.networks.models import CoreTask, Partnership


class LocalActionPlan(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONSULTATION = "consultation", _("in consultation")
        SUBMITTED = "submitted", _("submitted for peer review")
        REVIEWED = "reviewed", _("reviewed")
        APPROVED = "approved", _("approved and launched")
        IMPLEMENTATION = "implementation", _("in implementation")

    class Weighting(models.TextChoices):
        EQUAL = "equal", _("every action counts the same")
        COST = "cost", _("actions count by their cost")

    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.CASCADE,
        related_name="action_plan",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    members_may_edit = models.BooleanField(
        _("Local Support Group members may co-edit the draft"), default=False
    )
    progress_weighting = models.CharField(
        _("progress roll-up"), max_length=8, choices=Weighting.choices, default=Weighting.EQUAL
    )
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Local Action Plan")
        verbose_name_plural = _("Local Action Plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "actionplans:plan", args=[self.partnership.network.slug, self.partnership.city.slug]
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CONSULTATION)


class PlanSection(Versioned):
    """One written section of the plan; several people edit them, hence the version."""

    class Kind(models.TextChoices):
        CONTEXT = "context", _("Context: the city at a glance")
        FOCUS_AREA = "focus_area", _("Focus area and place analysis")
        EVIDENCE = "evidence", _("Evidence base")
        STAKEHOLDERS = "stakeholders", _("Stakeholder analysis")
        RESOURCES = "resources", _("Resources and funding")
        GOVERNANCE = "governance", _("Governance and implementation")

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    kind = models.CharField(_("section"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="one_section_of_each_kind")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ProblemNode(Versioned):
    """One statement of the problem tree; `objective` is its positive twin in the solution tree."""

    class Kind(models.TextChoices):
        CORE = "core", _("core problem")
        CAUSE = "cause", _("cause")
        EFFECT = "effect", _("effect")

    plan = models.ForeignKey(
        LocalActionPlan,
        on_delete=models.CASCADE,
        related_name="problem_nodes",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("under"),
    )
    statement = models.CharField(_("problem statement"), max_length=300)
    objective = models.CharField(_("objective (solution tree)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("problem tree node")
        verbose_name_plural = _("problem tree nodes")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(kind="core"), name="one_core_problem_per_plan"
            ),
            models.CheckConstraint(
                name="core_problem_has_no_parent",
                condition=~models.Q(kind="core") | models.Q(parent__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CORE and self.parent_id:
            raise ValidationError({"parent": _("The core problem is the trunk: it has no parent.")})
        if self.kind != self.Kind.CORE and self.parent_id is None:
            raise ValidationError({"parent": _("A cause or an effect hangs under another node.")})
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("The parent belongs to another plan.")})
        if self.parent_id and self.parent.kind not in (self.Kind.CORE, self.kind):
            raise ValidationError(
                {
                    "parent": _(
                        "A cause hangs under the core problem or another cause; an effect likewise."
                    )
                }
            )


class Objective(Versioned):
    """A SMART objective, usually the positive form of a node of the problem tree."""

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(
        _("specific, measurable, achievable, relevant, time-bound"), blank=True
    )
    problem_node = models.ForeignKey(
        ProblemNode,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
        verbose_name=_("from the problem tree"),
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_objective_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        partnership = self.plan.partnership
        return reverse(
            "actionplans:action_detail",
            args=[partnership.network.slug, partnership.city.slug, self.number],
        )


class Indicator(Versioned):
    class Kind(models.TextChoices):
        RESULT = "result", _("result indicator")
        OUTPUT = "output", _("output indicator")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objective")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    definition = models.CharField(_("definition"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    frequency = models.CharField(_("frequency"), max_length=60, blank=True)
    # A link to the city's monitoring: baseline and actual values then come from its observations.
    monitoring_indicator = models.ForeignKey(
        "monitoring.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_indicators",
        verbose_name=_("monitoring indicator"),
    )
    monitoring_area = models.ForeignKey(
        "monitoring.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_indicators",
        verbose_name=_("monitoring area"),
    )
    baseline_period = models.CharField(
        _("baseline period"),
        max_length=20,
        blank=True,
        help_text=_("The period of the observation that is the baseline, e.g. 2021."),
    )
    target_period = models.CharField(
        _("target period"),
        max_length=20,
        blank=True,
        help_text=_("The period by which the target should be reached, e.g. 2027."),
    )

    class Meta:
        ordering = ["objective", "kind", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.definition

    @property
    def is_linked(self) -> bool:
        return self.monitoring_indicator_id is not None and self.monitoring_area_id is not None

    def clean(self):
        super().clean()
        if (self.monitoring_indicator_id is None) != (self.monitoring_area_id is None):
            missing = (
                "monitoring_area" if self.monitoring_area_id is None else "monitoring_indicator"
            )
            raise ValidationError(
                {missing: _("Choose both a monitoring indicator and an area, or neither.")}
            )
        if not self.is_linked:
            return
        city_id = self.objective.plan.partnership.city_id
        messages = {
            "monitoring_indicator": _("Choose an indicator of the plan's city."),
            "monitoring_area": _("Choose an area of the plan's city."),
        }
        errors = {}
        for name, message in messages.items():
            # By id, so that an unknown id gets the same message rather than an error.
            model = self._meta.get_field(name).related_model
            if not model.objects.filter(pk=getattr(self, f"{name}_id"), city_id=city_id).exists():
                errors[name] = message
        if errors:
            raise ValidationError(errors)


class Action(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("status of an action", "planned")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        DELAYED = "delayed", _("delayed")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead = models.CharField(_("lead"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Stakeholder, blank=True, related_name="actions", verbose_name=_("partner stakeholders")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(_("funding source"), max_length=120, blank=True)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="actions", verbose_name=_("objectives")
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="actions", verbose_name=_("indicators")
    )
    core_tasks = models.ManyToManyField(
        CoreTask, blank=True, related_name="plan_actions", verbose_name=_("core tasks")
    )
    risks = models.TextField(_("risks"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_action_number"),
            models.CheckConstraint(
                name="action_ends_after_start",
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="action_cost_not_negative",
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0),
            ),
            models.CheckConstraint(
                name="action_progress_range", condition=models.Q(progress__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        partnership = self.plan.partnership
        return reverse(
            "actionplans:action_detail",
            args=[partnership.network.slug, partnership.city.slug, self.number],
        )

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class PlanComment(models.Model):
    """The consultation log: a comment on one section (or on the plan as a whole)."""

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan")
    )
    section = models.CharField(_("section"), max_length=16, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class PeerReview(models.Model):
    """The quality check of a submitted draft by the lead expert, a coordinator or a peer city."""

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan")
    )
    review_round = models.PositiveSmallIntegerField(_("review round"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    coherence = models.PositiveSmallIntegerField(_("coherence (1–5)"), validators=SCORE)
    coherence_comment = models.TextField(_("on coherence"), blank=True)
    feasibility = models.PositiveSmallIntegerField(_("feasibility (1–5)"), validators=SCORE)
    feasibility_comment = models.TextField(_("on feasibility"), blank=True)
    integrated_approach = models.PositiveSmallIntegerField(
        _("integrated approach (1–5)"), validators=SCORE
    )
    integrated_approach_comment = models.TextField(_("on the integrated approach"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "review_round", "created_at"]
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "review_round", "reviewer"],
                name="one_review_per_reviewer_and_round",
            ),
            *[
                models.CheckConstraint(
                    name=f"review_{name}_range",
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                )
                for name in ("coherence", "feasibility", "integrated_approach")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ({self.review_round})"


class PlanVersion(models.Model):
    """A launched version, frozen: the whole plan as JSON, so later edits never change it."""

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    major = models.PositiveSmallIntegerField(_("major"))
    minor = models.PositiveSmallIntegerField(_("minor"))
    snapshot = models.JSONField(_("snapshot"))
    launched_at = models.DateTimeField(_("launched at"), auto_now_add=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("launched by"),
    )

    class Meta:
        ordering = ["plan", "-major", "-minor"]
        verbose_name = _("launched version")
        verbose_name_plural = _("launched versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "major", "minor"], name="unique_plan_version")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}"


class VersionDocument(models.Model):
    """A document of a launched version, rendered once in the background and then served as stored.

    A launched version never changes, so neither does its PDF: the first visitor does not wait 8 s.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"

    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("launched version"),
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10)
    content = models.BinaryField(_("content"))
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document of a launched version")
        verbose_name_plural = _("documents of launched versions")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "format", "language"], name="one_document_per_version_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.format}, {self.language})"


class WorkingDocument(models.Model):
    """The PDF of the working plan as it was when last asked for, kept by the hash of its HTML: the
    same plan asked for again is served at once; any change gives a new hash and a new PDF."""

    plan = models.ForeignKey(
        LocalActionPlan,
        on_delete=models.CASCADE,
        related_name="working_documents",
        verbose_name=_("plan"),
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    content = models.BinaryField(_("content"))
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document of the working plan")
        verbose_name_plural = _("documents of the working plan")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "fingerprint"], name="one_working_document_per_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.fingerprint[:8]})"


class Draft(models.Model):
    """What one person typed into a section or action form and has not saved yet.

    Saved every few seconds while they type, per person and per form, and deleted when they save.
    A draft never touches the row it belongs to: it keeps the version the editor started from, so
    saving it later still meets the usual conflict check instead of overwriting a newer change.
    """

    plan = models.ForeignKey(
        LocalActionPlan, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("plan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    key = models.CharField(_("form"), max_length=40)
    data = models.JSONField(_("what was typed"))
    base_version = models.PositiveIntegerField(_("started from version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "user", "key"], name="one_draft_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.user})"
