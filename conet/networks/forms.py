from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conet.accounts.models import Role
from conet.core.forms import DateInput, VersionedForm
from conet.networks.models import City, Network, Partnership


class NetworkForm(VersionedForm):
    class Meta:
        model = Network
        fields = [
            "name", "acronym", "theme", "status", "start_date", "end_date", "programme", "funding",
            "objectives", "activities", "results", "contacts", "language",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "language": forms.Select(choices=settings.LANGUAGES),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"objectives": _("Markdown: *emphasis*, lists with -, links.")}


class PartnershipForm(VersionedForm):
    class Meta:
        model = Partnership
        fields = ["role", "focus_area_name", "focus_area_slug", "focus_area_description"]
        widgets = {"focus_area_description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"focus_area_slug": _("Leave empty to make it from the name, e.g. ballaro.")}


class AddPartnerForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.all(), label=_("City"))
    role = forms.ChoiceField(choices=Partnership.Role.choices, label=_("Role"))
    focus_area_name = forms.CharField(label=_("Focus area"), max_length=200, required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.exclude(partnerships__network=network)


class CityForm(VersionedForm):
    class Meta:
        model = City
        fields = [
            "name",
            "country",
            "population",
            "latitude",
            "longitude",
            "languages",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class NewCityForm(forms.ModelForm):
    class Meta:
        model = City
        fields = [
            "name",
            "slug",
            "country",
            "population",
            "latitude",
            "longitude",
            "languages",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"slug": _("Leave empty to make it from the name, e.g. alba-iulia.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("What happened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
