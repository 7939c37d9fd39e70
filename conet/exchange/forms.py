from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conet.core.forms import DateInput, VersionedForm
from conet.exchange.models import ExpertProfile, SupportRequest, TransferItem, Visit, VisitReport
from conet.networks.models import CoreTask, Partnership

REQUEST_FIELDS = [
    "title", "project", "plan_action", "problem", "know_how", "preferred_start", "preferred_end",
    "languages", "budget", "core_tasks", "language",
]  # fmt: skip
REQUEST_WIDGETS = {
    "problem": forms.Textarea(attrs={"rows": 4}),
    "know_how": forms.Textarea(attrs={"rows": 4}),
    "preferred_start": DateInput(),
    "preferred_end": DateInput(),
    "core_tasks": forms.CheckboxSelectMultiple,
}


def _plan_actions(partnerships):
    from conet.actionplans.models import Action

    return Action.objects.filter(plan__partnership__in=partnerships).select_related(
        "plan__partnership__city"
    )


class RequestForm(forms.ModelForm):
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(), label=_("City and network")
    )

    class Meta:
        model = SupportRequest
        fields = REQUEST_FIELDS
        widgets = REQUEST_WIDGETS

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = partnerships.select_related("city", "network")
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].label_from_instance = lambda p: f"{p.city} — {p.network}"
        self.fields["partnership"].initial = partnerships.first()
        self.order_fields(["partnership", *REQUEST_FIELDS])
        self.fields["plan_action"].queryset = _plan_actions(partnerships)
        self.fields["core_tasks"].queryset = CoreTask.objects.filter(
            network__partnerships__in=partnerships
        ).distinct()
        self.fields["core_tasks"].label_from_instance = lambda task: task.name

    def _post_clean(self):
        # The partnership is set by the service; the model's checks must see it.
        if self.cleaned_data.get("partnership"):
            self.instance.partnership = self.cleaned_data["partnership"]
        super()._post_clean()


class RequestEditForm(VersionedForm):
    class Meta:
        model = SupportRequest
        fields = REQUEST_FIELDS
        widgets = REQUEST_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = Partnership.objects.filter(pk=self.instance.partnership_id)
        self.fields["plan_action"].queryset = _plan_actions(partnership)
        self.fields["core_tasks"].queryset = CoreTask.objects.filter(
            network_id=self.instance.partnership.network_id
        )
        self.fields["core_tasks"].label_from_instance = lambda task: task.name


def parse_availability(text: str) -> list[tuple[date, date]]:
    """One stretch per line: two ISO dates, e.g. "2026-03-01 2026-05-31" (any separator)."""
    ranges = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [part for part in line.replace("–", " ").replace(",", " ").split() if part != "-"]
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
        except ValueError as error:
            raise ValidationError(
                _("Line %(line)s: write two dates as YYYY-MM-DD YYYY-MM-DD."),
                params={"line": number},
            ) from error
        if end < start:
            raise ValidationError(
                _("Line %(line)s: the end date is before the start date."),
                params={"line": number},
            )
        ranges.append((start, end))
    return ranges


PROFILE_FIELDS = [
    "headline", "bio", "skills", "languages", "language", "core_tasks", "practices_led",
    "home_city", "is_available",
]  # fmt: skip
PROFILE_WIDGETS = {
    "bio": forms.Textarea(attrs={"rows": 4}),
    "skills": forms.Textarea(attrs={"rows": 4}),
    "practices_led": forms.Textarea(attrs={"rows": 3}),
    "core_tasks": forms.CheckboxSelectMultiple,
}


class _AvailabilityMixin:
    def _setup_availability(self):
        self.fields["availability"] = forms.CharField(
            label=_("Available"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One stretch per line: from and until, e.g. 2026-03-01 2026-05-31"),
        )
        self.fields["core_tasks"].label_from_instance = lambda task: f"{task.name} ({task.network})"
        self.fields["core_tasks"].queryset = CoreTask.objects.select_related("network")
        if self.instance.pk and not self.is_bound:
            self.initial["availability"] = "\n".join(
                f"{a.starts_on.isoformat()} {a.ends_on.isoformat()}"
                for a in self.instance.availabilities.all()
            )

    def clean_availability(self):
        return parse_availability(self.cleaned_data.get("availability", ""))


class ProfileForm(_AvailabilityMixin, VersionedForm):
    class Meta:
        model = ExpertProfile
        fields = PROFILE_FIELDS
        widgets = PROFILE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_availability()

    def changes(self) -> dict:
        return {
            **{name: self.cleaned_data[name] for name in self._meta.fields},
            "availability": self.cleaned_data["availability"],
        }


class ProfileCreateForm(_AvailabilityMixin, forms.ModelForm):
    """A new profile: one's own, or (for a network's staff) someone else's by e-mail address."""

    email = forms.EmailField(
        label=_("E-mail address of the expert"),
        required=False,
        help_text=_("Leave empty to create your own profile."),
    )

    class Meta:
        model = ExpertProfile
        fields = PROFILE_FIELDS
        widgets = PROFILE_WIDGETS

    def __init__(self, *args, for_others: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_availability()
        if not for_others:
            del self.fields["email"]
        else:
            self.order_fields(["email", *PROFILE_FIELDS])

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("No one has an account with this address; invite them first."))
        return user

    def _post_clean(self):
        # The profile's person is set by the service; validate the rest here.
        self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.full_clean(exclude=["user"], validate_unique=False)
        except ValidationError as error:
            self._update_errors(error)


class InviteForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=ExpertProfile.objects.all(), widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the expert"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Your answer (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["starts_on", "ends_on", "travel", "agenda"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "travel": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.full_clean(exclude=["request", "planned_by"], validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)


class ReportForm(forms.ModelForm):
    """A report, and for each action of the receiving city's plan: what is taken over, if anything."""

    class Meta:
        model = VisitReport
        fields = ["understood", "adapted", "reused", "language"]
        widgets = {
            "understood": forms.Textarea(attrs={"rows": 4}),
            "adapted": forms.Textarea(attrs={"rows": 3}),
            "reused": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        stages = [("", _("not touched")), *TransferItem.Stage.choices]
        for action in self.actions:
            self.fields[f"stage_{action.pk}"] = forms.ChoiceField(
                label=_("Action %(number)s: %(title)s")
                % {"number": action.number, "title": action.title},
                choices=stages,
                required=False,
            )
            self.fields[f"note_{action.pk}"] = forms.CharField(
                label=_("What is taken over for action %(number)s") % {"number": action.number},
                required=False,
                max_length=300,
            )

    def _post_clean(self):
        pass  # the service validates the report (it knows the visit and the side)

    def clean(self):
        data = super().clean()
        for action in self.actions:
            stage, note = data.get(f"stage_{action.pk}"), data.get(f"note_{action.pk}")
            if stage and not (note or "").strip():
                self.add_error(f"note_{action.pk}", _("Say what is taken over."))
        return data

    def items(self) -> list:
        return [
            (
                action,
                self.cleaned_data[f"stage_{action.pk}"],
                self.cleaned_data[f"note_{action.pk}"],
            )
            for action in self.actions
            if self.cleaned_data.get(f"stage_{action.pk}")
        ]

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
