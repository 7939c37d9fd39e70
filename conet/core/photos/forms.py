from django import forms
from django.utils.translation import gettext_lazy as _

from conet.core.models import Photo


class PhotoForm(forms.Form):
    """A new photo: the file (checked by decoding it, in the service) and its texts."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG, PNG or WebP. CoNet makes web sizes of it and removes the camera's data, "
            "such as where it was taken."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=Photo._meta.get_field("alt_text").verbose_name,
        help_text=Photo._meta.get_field("alt_text").help_text,
        max_length=300,
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(
        label=Photo._meta.get_field("credit").verbose_name,
        help_text=Photo._meta.get_field("credit").help_text,
        max_length=200,
        required=False,
    )


class DescribeForm(forms.Form):
    alt_text = PhotoForm.base_fields["alt_text"]
    caption = PhotoForm.base_fields["caption"]
    credit = PhotoForm.base_fields["credit"]
