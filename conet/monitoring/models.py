"""Small areas of a city, indicators measured on them, and composite indices computed from them.

A city's areas come in levels (planning area → district region → district); each area may carry a
GeoJSON geometry in WGS 84. An observation is one value of one indicator in one area for one period.
A composite index is defined as data (its method, components and class cut-offs) and its results are
stored per period, recomputed whenever the observations it reads change.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conet.networks.models import City

CODE_MAX_LENGTH = 40


def validate_code(value: str) -> None:
    if len(value or "") > CODE_MAX_LENGTH:
        raise ValidationError(
            _("Longer than %(limit)d characters (%(count)d)."),
            params={"limit": CODE_MAX_LENGTH, "count": len(value)},
        )
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]*", value or ""):
        raise ValidationError(
            _("“%(value)s” is not a code: use letters, digits, dots, hyphens and underscores."),
            params={"value": value},
        )


class AreaLevel(models.Model):
    """One level of a city's areas; `position` 0 is the smallest (e.g. the planning area)."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="area_levels", verbose_name=_("city")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Shown with the map wherever these areas' shapes are drawn (the licence asks for it).
    shapes_source = models.CharField(_("source of the shapes"), max_length=200, blank=True)

    class Meta:
        ordering = ["city_id", "position", "code"]
        verbose_name = _("area level")
        verbose_name_plural = _("area levels")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="unique_area_level_code")
        ]

    def __str__(self) -> str:
        return self.name


def geometry_bounds(geometry: dict | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a Polygon or MultiPolygon, or None without coordinates."""
    if not geometry or not geometry.get("coordinates"):
        return None
    polygons = (
        [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry["coordinates"]
    )
    xs, ys = [], []
    for polygon in polygons:
        for ring in polygon:
            for x, y, *_rest in ring:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


class Area(models.Model):
    """A small area; codes are unique within a city, across its levels."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="areas", verbose_name=_("city")
    )
    level = models.ForeignKey(
        AreaLevel, on_delete=models.PROTECT, related_name="areas", verbose_name=_("level")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("part of"),
    )
    # A GeoJSON geometry (Polygon or MultiPolygon) in WGS 84 longitude/latitude.
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    # Its bounding box, so that a map of very many areas fetches only those in view.
    west = models.FloatField(_("west"), null=True, blank=True, editable=False)
    south = models.FloatField(_("south"), null=True, blank=True, editable=False)
    east = models.FloatField(_("east"), null=True, blank=True, editable=False)
    north = models.FloatField(_("north"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["city_id", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="unique_area_code")]
        indexes = [
            models.Index(fields=["city", "level"]),
            models.Index(fields=["level", "west", "east"], name="area_level_bbox"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:area", args=[self.city.slug, self.code])

    def set_bounds(self) -> None:
        """Keep the bounding box in step with the geometry (call before saving)."""
        self.west, self.south, self.east, self.north = geometry_bounds(self.geometry) or (None,) * 4


class Indicator(models.Model):
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("city")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    higher_is_worse = models.BooleanField(
        _("higher values mean more deprivation"),
        default=True,
        help_text=_("Untick for indicators where a higher value is better (e.g. income)."),
    )
    language = models.CharField(_("language of the texts"), max_length=8, default="en")

    class Meta:
        ordering = ["city_id", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Observation(models.Model):
    """One value: an indicator in an area for a period ("2021", "2021-12-31", "2020Q4" …)."""

    # No single-column indexes on the two keys: the unique (indicator, area, period) and the
    # (area, indicator, period) index serve every lookup, and each index slows every import.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("indicator"),
        db_index=False,
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("area"),
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=20)
    value = models.FloatField(_("value"))

    class Meta:
        ordering = ["indicator_id", "period", "area_id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="unique_observation"
            )
        ]
        indexes = [models.Index(fields=["area", "indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period}: {self.value}"


class CompositeIndex(models.Model):
    """An index defined as data. See conet/monitoring/methods.py for what each method computes."""

    class Method(models.TextChoices):
        ZSCORE = "zscore", _("z-score sum (Berlin MSS)")
        RANK_EXPONENTIAL = "rank_exponential", _("rank–exponential weighted (English IMD)")
        MATRIX = "matrix", _("matrix of two indices' classes")

    # What saving the definition changed in what was given (weights read as percentages …), to show
    # the person who saved it; not stored.
    notices: tuple[str, ...] = ()

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="composite_indices", verbose_name=_("city")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    # z-score: areas whose population (this indicator, same period) is under the threshold are left out.
    population_indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("population indicator"),
    )
    population_threshold = models.FloatField(_("minimum population"), null=True, blank=True)
    # z-score: ascending cut-offs on the index; a value equal to a cut-off falls in the lower class.
    cutoffs = models.JSONField(_("class cut-offs"), default=list, blank=True)
    # One label per class: len(cutoffs) + 1 for z-score; ten deciles for rank–exponential.
    class_labels = models.JSONField(_("class names"), default=list, blank=True)
    class_colours = models.JSONField(_("class colours"), default=list, blank=True)
    # matrix: the two indices whose classes are crossed (rows × columns).
    row_index = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rows"),
    )
    column_index = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("columns"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["city_id", "code"]
        verbose_name = _("composite index")
        verbose_name_plural = _("composite indices")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="unique_composite_index_code")
        ]

    def __str__(self) -> str:
        return self.name


class IndexComponent(models.Model):
    index = models.ForeignKey(
        CompositeIndex,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("index"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        ordering = ["index_id", "pk"]
        verbose_name = _("index component")
        verbose_name_plural = _("index components")
        constraints = [
            models.UniqueConstraint(fields=["index", "indicator"], name="unique_index_component")
        ]

    def __str__(self) -> str:
        return f"{self.index.code}: {self.indicator.code} × {self.weight}"


class IndexResult(models.Model):
    """One area's result of one index for one period."""

    # As for observations: the two composite indexes serve every lookup by index or by area.
    index = models.ForeignKey(
        CompositeIndex,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("index"),
        db_index=False,
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="index_results",
        verbose_name=_("area"),
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=20)
    # z-score: the sum of the components' z-values; rank–exponential: the weighted score.
    total = models.FloatField(_("sum"), null=True, blank=True)
    # z-score: the standardised sum (the index); rank–exponential: the weighted score again.
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    class_number = models.PositiveSmallIntegerField(_("class"))
    class_label = models.CharField(_("class name"), max_length=80)

    class Meta:
        ordering = ["index_id", "period", "area_id"]
        verbose_name = _("index result")
        verbose_name_plural = _("index results")
        constraints = [
            models.UniqueConstraint(fields=["index", "area", "period"], name="unique_index_result")
        ]
        indexes = [models.Index(fields=["area", "index", "period"])]

    def __str__(self) -> str:
        return f"{self.index.code} {self.area.code} {self.period}: {self.class_label}"
