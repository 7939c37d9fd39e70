from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conet.core.forms import VersionedForm
from conet.localgroups.models import LocalSupportGroup, Stakeholder


class GroupForm(VersionedForm):
    class Meta:
        model = LocalSupportGroup
        fields = ["purpose", "self_assessment"]


class StakeholderForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("The person or organisation agrees that we keep these contact details"),
        required=False,
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name", "organisation", "sector", "kind", "power", "interest", "is_member", "email",
            "phone", "notes",
        ]  # fmt: skip
        widgets = {
            "power": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "interest": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def _post_clean(self):
        # Consent is checked by the service, which knows about the consent box.
        self.instance.consent_given_at = (
            timezone.now() if self.cleaned_data.get("consent") else None
        )
        super()._post_clean()


class StakeholderEditForm(VersionedForm):
    consent = forms.BooleanField(
        label=_("The person or organisation agrees that we keep these contact details"),
        help_text=_("Unticking it erases the e-mail address and the telephone number."),
        required=False,
    )

    class Meta:
        model = Stakeholder
        fields = StakeholderForm.Meta.fields
        widgets = StakeholderForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["consent"] = self.instance.consent_given_at is not None

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def _post_clean(self):
        # The contact details may be kept only with consent; the service records or withdraws it.
        consent = self.cleaned_data.get("consent")
        if consent and self.instance.consent_given_at is None:
            self.instance.consent_given_at = timezone.now()
        elif not consent:
            self.instance.consent_given_at = None
            self.cleaned_data["email"] = self.cleaned_data["phone"] = ""
        super()._post_clean()
