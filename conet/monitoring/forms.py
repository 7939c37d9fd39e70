from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conet.monitoring.models import CompositeIndex, Indicator
from conet.monitoring.services import IndexDefinition

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 50 MB."))
        return upload


class ObservationImportForm(forms.Form):
    file = UploadField(
        label=_("CSV file"),
        help_text=_(
            "Long layout: columns area, indicator, period, value. Wide layout: a column area and one "
            "column per indicator code (and optionally period). Separated by ; or , or tabs; decimal "
            "comma or point; with or without BOM."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        required=False,
        help_text=_("For a wide file without a period column, e.g. 2021."),
    )
    decimal = forms.ChoiceField(
        label=_("Decimal separator"),
        choices=[("auto", _("recognise it")), (".", _("point (1.5)")), (",", _("comma (1,5)"))],
        initial="auto",
    )
    create_missing_indicators = forms.BooleanField(
        label=_("Create indicators that are not defined yet"), required=False
    )
    ignore_unknown_columns = forms.BooleanField(
        label=_("Skip columns that are not indicator codes"), required=False
    )


class AreaImportForm(forms.Form):
    file = UploadField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection of Polygons or MultiPolygons, one feature per area."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    level = forms.CharField(
        label=_("Level code"), max_length=40, help_text=_("e.g. planning-area or district")
    )
    level_name = forms.CharField(label=_("Level name"), max_length=120, required=False)
    code_property = forms.CharField(label=_("Property holding the area code"), initial="code")
    name_property = forms.CharField(label=_("Property holding the name"), initial="name")
    parent_property = forms.CharField(
        label=_("Property holding the parent area's code"), required=False
    )
    source_crs = forms.CharField(
        label=_("Coordinate system of the file"),
        required=False,
        help_text=_("Leave empty for WGS 84 or when the file says; e.g. EPSG:25833 for Berlin."),
    )


class AreaTableForm(forms.Form):
    file = UploadField(
        label=_("CSV file"),
        help_text=_(
            "Columns code, name, level and (optional) parent: the code of the larger area it lies in. "
            "Shapes can be added later with a GeoJSON file with the same codes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "source", "description", "higher_is_worse", "language"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "language": forms.Select(choices=settings.LANGUAGES),
        }


def _numbers(text: str, field: str) -> list[float]:
    numbers = []
    for part in (text or "").replace(";", ",").split(","):
        if part.strip():
            try:
                numbers.append(float(part.strip()))
            except ValueError:
                raise ValidationError(
                    {field: _("“%(part)s” is not a number.") % {"part": part.strip()}}
                ) from None
    return numbers


class IndexForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=CompositeIndex.Method.choices)
    components = forms.CharField(
        label=_("Indicators"),
        required=False,
        help_text=_(
            "Indicator codes, each with an optional weight: S1, S3, S4 or income:22.5, employment:22.5"
        ),
    )
    cutoffs = forms.CharField(
        label=_("Class cut-offs (z-score)"),
        required=False,
        help_text=_("Ascending, separated by commas, e.g. -1, 1, 1.5"),
    )
    class_labels = forms.CharField(
        label=_("Class names"),
        required=False,
        help_text=_(
            "One more than cut-offs, separated by commas, e.g. high, medium, low, very low"
        ),
    )
    population_indicator = forms.CharField(label=_("Population indicator (code)"), required=False)
    population_threshold = forms.FloatField(
        label=_("Leave out areas with fewer residents than"), required=False
    )
    row_index = forms.CharField(label=_("Matrix rows: index code"), required=False)
    column_index = forms.CharField(label=_("Matrix columns: index code"), required=False)

    def definition(self) -> IndexDefinition:
        data = self.cleaned_data
        components = []
        for part in data["components"].replace(";", ",").split(","):
            if not part.strip():
                continue
            code, _sep, weight = part.partition(":")
            try:
                components.append((code.strip(), float(weight) if weight.strip() else 1.0))
            except ValueError:
                raise ValidationError(
                    {"components": _("“%(part)s” is not a number.") % {"part": weight.strip()}}
                ) from None
        return IndexDefinition(
            code=data["code"].strip(),
            name=data["name"].strip(),
            method=data["method"],
            components=components,
            cutoffs=_numbers(data["cutoffs"], "cutoffs"),
            class_labels=[
                label.strip() for label in data["class_labels"].split(",") if label.strip()
            ],
            population_indicator=data["population_indicator"].strip(),
            population_threshold=data["population_threshold"],
            row_index=data["row_index"].strip(),
            column_index=data["column_index"].strip(),
        )
