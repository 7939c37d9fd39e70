from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conet.core.models import Photo
from conet.core.photos import images


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
        label=capfirst(Photo._meta.get_field("alt_text").verbose_name),
        help_text=Photo._meta.get_field("alt_text").help_text,
        max_length=300,
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(
        label=capfirst(Photo._meta.get_field("credit").verbose_name),
        help_text=Photo._meta.get_field("credit").help_text,
        max_length=200,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        # The file is checked even when another field is wrong, so the editor hears of both at
        # once rather than fixing the text and only then learning the file is refused.
        if self.errors and cleaned.get("image") is not None:
            try:
                images.prepare(cleaned["image"])
            except ValidationError as refused:
                self.add_error("image", refused.message_dict["image"])
        return cleaned


class DescribeForm(forms.Form):
    alt_text = PhotoForm.base_fields["alt_text"]
    caption = PhotoForm.base_fields["caption"]
    credit = PhotoForm.base_fields["credit"]
