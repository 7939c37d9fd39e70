"""Forms for meetings. Times are typed in the meeting's own time zone, whatever the reader's."""

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from conet.actionplans.models import Action
from conet.core.forms import VersionedForm
from conet.meetings.models import AgendaItem, Meeting
from conet.networks.models import City, CoreTask
from conet.practices.models import GoodPractice


def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name)
    return [(name, name.replace("_", " ")) for name in names]


def place_times_in_zone(form: forms.Form, cleaned: dict, zone: str) -> dict:
    """Read the typed start and end as wall-clock times in `zone`; a bad time is a form error."""
    for name in ["starts_at", "ends_at"]:
        if cleaned.get(name) is not None:
            try:
                cleaned[name] = place_in_zone(cleaned[name], zone, name)
            except ValidationError as error:
                form.add_error(None, error)
    return cleaned


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, without a zone: the form places it in the meeting's zone."""

    widget = LocalDateTimeInput
    default_error_messages = {"invalid": _("Enter a date and time, such as 2010-05-27 09:30.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip().replace(" ", "T")
        try:
            parsed = parse_datetime(text)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(tzinfo=None)


def place_in_zone(local: datetime, zone_name: str, field: str) -> datetime:
    """`local` wall-clock time in `zone_name`, refusing a time the clocks skip (spring forward)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(
            {
                field: _("This time does not exist in %(zone)s: the clocks skip it.")
                % {"zone": zone_name}
            }
        )
    return aware


class MeetingForm(VersionedForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)
    starts_at = LocalDateTimeField(label=_("starts (local time)"))
    ends_at = LocalDateTimeField(label=_("ends (local time)"))

    class Meta:
        model = Meeting
        fields = [
            "title", "host_city", "theme", "description", "language", "time_zone", "starts_at",
            "ends_at", "venue", "address", "capacity", "registration_open", "is_public",
            "core_tasks", "plan_actions", "practices", "minutes", "outputs",
        ]  # fmt: skip
        widgets = {
            "core_tasks": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "outputs": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, network, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["language"].widget = forms.Select(choices=settings.LANGUAGES)
        self.fields["core_tasks"].queryset = CoreTask.objects.filter(network=network)
        self.fields["plan_actions"].queryset = (
            Action.objects.filter(plan__partnership__network=network)
            .select_related("plan__partnership__city")
            .order_by("plan__partnership__city__name", "number")
        )
        self.fields["plan_actions"].label_from_instance = lambda action: (
            f"{action.plan.partnership.city.name}: {action}"
        )
        self.fields["plan_actions"].required = False
        self.fields["practices"].queryset = GoodPractice.objects.filter(
            status="published"
        ).order_by("name")
        self.fields["practices"].required = False
        if group is not None or self.instance.kind == Meeting.Kind.LSG:
            del self.fields["host_city"]
        else:
            self.fields["host_city"].queryset = City.objects.filter(
                partnerships__network=network
            ).order_by("name")
        instance = self.instance
        if instance.pk:
            self.initial["starts_at"] = instance.local_starts_at.replace(tzinfo=None)
            self.initial["ends_at"] = instance.local_ends_at.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        if zone:
            place_times_in_zone(self, cleaned, zone)
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class AgendaItemForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("starts (local time)"))
    ends_at = LocalDateTimeField(label=_("ends (local time)"), required=False)

    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "speakers", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        return place_times_in_zone(self, super().clean(), self.meeting.time_zone)

    def _post_clean(self):
        # The service validates the item against its meeting; nothing to build here.
        pass


class AgendaItemEditForm(VersionedForm):
    """Editing one agenda item; a save from an older version shows the other person's change."""

    starts_at = LocalDateTimeField(label=_("starts (local time)"))
    ends_at = LocalDateTimeField(label=_("ends (local time)"), required=False)

    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "speakers", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not self.is_bound:
            self.initial["starts_at"] = self.instance.local_starts_at.replace(tzinfo=None)
            if self.instance.ends_at:
                self.initial["ends_at"] = self.instance.local_ends_at.replace(tzinfo=None)

    def clean(self):
        return place_times_in_zone(self, super().clean(), self.meeting.time_zone)

    def _post_clean(self):
        # The service validates the item against its meeting.
        pass


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"))
    agenda_item = forms.ModelChoiceField(
        label=_("agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class RegistrationForm(forms.Form):
    needs_consent = forms.BooleanField(
        label=_("Keep my accessibility and dietary needs for this meeting"),
        help_text=_(
            "Only the organisers see them; they are erased automatically after the meeting."
        ),
        required=False,
    )
    accessibility_needs = forms.CharField(
        label=_("accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dietary_needs = forms.CharField(
        label=_("dietary needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("accessibility_needs") or cleaned.get("dietary_needs")) and not cleaned.get(
            "needs_consent"
        ):
            self.add_error(
                "needs_consent",
                _("We can keep your accessibility and dietary needs only with your consent."),
            )
        return cleaned
