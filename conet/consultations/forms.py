from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conet.consultations.models import STATEMENT_MAX_LENGTH, Consultation
from conet.core.forms import VersionedForm
from conet.networks.models import City, Network


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


CONSULTATION_FIELDS = [
    "question", "description", "network", "language", "opens_at", "closes_at", "moderation",
    "participants_may_add",
]  # fmt: skip
CONSULTATION_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 3}),
    "language": forms.Select(choices=settings.LANGUAGES),
    "opens_at": DateTimeInput(),
    "closes_at": DateTimeInput(),
    "moderation": forms.RadioSelect,
}


def _networks_of(city: City):
    return Network.objects.filter(partnerships__city=city).order_by("name")


class ConsultationForm(forms.ModelForm):
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80)
    seed_statements = forms.CharField(
        label=_("Seed statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One statement per line, to start the conversation."),
    )

    class Meta:
        model = Consultation
        fields = ["slug", *CONSULTATION_FIELDS]
        widgets = CONSULTATION_WIDGETS

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["network"].queryset = _networks_of(city)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Consultation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This short name is taken; choose another."))
        return slug

    def clean_seed_statements(self):
        lines = [line.strip() for line in self.cleaned_data["seed_statements"].splitlines()]
        too_long = [n for n, line in enumerate(lines, start=1) if len(line) > STATEMENT_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Line %(line)d is longer than %(limit)d characters.")
                % {"line": too_long[0], "limit": STATEMENT_MAX_LENGTH}
            )
        return [line for line in lines if line]


class ConsultationEditForm(VersionedForm):
    class Meta:
        model = Consultation
        fields = CONSULTATION_FIELDS
        widgets = CONSULTATION_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = _networks_of(self.instance.city)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=_("One short, clear idea that others can agree or disagree with."),
    )


class ModerationForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ConsultationLogForm(forms.Form):
    """Statements to quote in a Local Action Plan's consultation log, and the plan."""

    statements = forms.TypedMultipleChoiceField(
        label=_("Statements"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Any plan number is accepted here; the service says clearly when it is not this city's plan.
    plan = forms.IntegerField(label=_("Local Action Plan"), widget=forms.Select)

    def __init__(self, *args, page, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = [
            (row.statement.pk, f"{row.statement.number}. {row.statement.text}") for row in page.rows
        ]
        self.fields["plan"].widget.choices = [
            (plan.pk, f"{plan.title} ({plan.partnership.network.name})") for plan in plans
        ]
        if not self.is_bound:
            chosen = [item["statement"] for item in page.consensus]
            chosen += [row.statement.pk for row in page.divisive if row.statement.pk not in chosen]
            self.initial = {"statements": chosen, "plan": plans[0].pk if plans else None}


class StatementActionForm(forms.Form):
    """A statement and the plan action it led to."""

    statement = forms.TypedChoiceField(label=_("Statement"), coerce=int)
    # Any action number is accepted here; the service says clearly when it is not of this city's plan.
    action = forms.IntegerField(label=_("The plan action it led to"), widget=forms.Select)

    def __init__(self, *args, statements, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [
            (statement.pk, f"{statement.number}. {statement.text}") for statement in statements
        ]
        self.fields["action"].widget.choices = [
            (action.pk, f"{action} ({action.plan.title})") for action in actions
        ]
