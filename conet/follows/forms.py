from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conet.follows import selectors


class FollowForm(forms.Form):
    """An address and what to follow ("city:3", "focus_area:7", "network:1", as the page offers)."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    target = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def clean_target(self):
        target = selectors.target_from_key(self.cleaned_data["target"])
        if target is None:
            raise ValidationError(_("This can no longer be followed."))
        return target
