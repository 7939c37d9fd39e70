"""The search box and its filters (a GET form: a search is a bookmarkable address)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conet.networks.core_tasks import DEFAULT_CORE_TASKS
from conet.networks.countries import COUNTRIES
from conet.networks.models import Network
from conet.search import registry
from conet.search.models import CitySize

ANY = [("", _("any"))]


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=300, required=False, widget=SearchInput)
    kind = forms.ChoiceField(label=_("What"), required=False)
    core_task = forms.ChoiceField(label=_("Core task"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    city_size = forms.ChoiceField(
        label=_("City size"), required=False, choices=ANY + list(CitySize.choices)
    )
    network = forms.ChoiceField(label=_("Network"), required=False)
    language = forms.ChoiceField(label=_("Written in"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Search in any language"), "autofocus": True}
        )
        self.fields["kind"].choices = ANY + [(s.kind, s.label) for s in registry.searchables()]
        self.fields["core_task"].choices = ANY + [
            (str(number), gettext(english))
            for number, (english, _german) in enumerate(DEFAULT_CORE_TASKS, start=1)
        ]
        self.fields["country"].choices = ANY + list(COUNTRIES)
        self.fields["network"].choices = ANY + list(
            Network.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["language"].choices = ANY + list(settings.LANGUAGES)

    def filters(self) -> dict:
        """The valid filters (an invalid one is reported next to its field and ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name)
            for name in ("kind", "core_task", "country", "city_size", "network", "language")
            if data.get(name)
        }
