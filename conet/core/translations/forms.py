from django import forms
from django.utils.translation import gettext_lazy as _

from conet.core.forms import VersionedForm
from conet.core.models import ContentTranslation


class TranslationForm(VersionedForm):
    """A person's version of one text in one language; empty removes it."""

    class Meta:
        model = ContentTranslation
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "text": _(
                "Markdown, as in the original. Leave it empty to remove this translation: "
                "readers then see the original with a note."
            )
        }

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].widget.attrs["lang"] = language
