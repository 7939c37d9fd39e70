from django import forms
from django.utils.translation import gettext_lazy as _

from conet.core.forms import VersionedForm
from conet.workshops.models import CODE_LENGTH, Phase, Workshop


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


WORKSHOP_FORM_FIELDS = [
    "title", "guiding_question", "language", "starts_at", "place", "anonymous_cards",
    "card_max_length", "dots_stacking_allowed", "participants_may_cluster",
]  # fmt: skip


class WorkshopForm(forms.ModelForm):
    """Setting up: the workshop, its phases' time boxes and dots, and its tables."""

    tables = forms.CharField(
        label=_("Tables (working groups)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line; leave empty for a single plenary board."),
    )

    class Meta:
        model = Workshop
        fields = WORKSHOP_FORM_FIELDS
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Phase.Kind.choices:
            if kind != Phase.Kind.IMPLEMENTATION:
                self.fields[f"{kind}_dots"] = forms.IntegerField(
                    label=_("%(phase)s: dots per person") % {"phase": label},
                    min_value=0,
                    max_value=50,
                    initial=3,
                )
            self.fields[f"{kind}_minutes"] = forms.IntegerField(
                label=_("%(phase)s: time box in minutes") % {"phase": label},
                min_value=1,
                max_value=600,
                required=False,
            )

    def phases(self) -> dict:
        data = self.cleaned_data
        return {
            kind: {
                "time_box_minutes": data.get(f"{kind}_minutes"),
                "dots_per_person": data.get(f"{kind}_dots") or 0,
            }
            for kind in Phase.Kind.values
        }

    def table_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("tables", "").splitlines()]

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in WORKSHOP_FORM_FIELDS}


class WorkshopSettingsForm(VersionedForm):
    class Meta:
        model = Workshop
        fields = WORKSHOP_FORM_FIELDS
        widgets = {"starts_at": DateTimeInput()}


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Workshop code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "inputmode": "text"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: formatting the lazy text at import would freeze it in English.
        self.fields["code"].help_text = _(
            "The %(n)d letters and digits shown by the facilitator."
        ) % {"n": CODE_LENGTH}

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class JoinForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    anonymous = forms.BooleanField(label=_("Join anonymously"), required=False)
    table = forms.ChoiceField(label=_("Your table"), required=False)

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        tables = list(workshop.tables.all())
        if tables:
            self.fields["table"].choices = [(t.pk, t.name) for t in tables]
            self.fields["table"].required = True
        else:
            del self.fields["table"]

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Give a name, or join anonymously."))
        return data
