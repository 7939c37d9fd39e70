"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conet.core.concurrency import EditConflict


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, and shows the other person's change on conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.conflict: EditConflict | None = None

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def show_conflict(self, conflict: EditConflict) -> None:
        """Keep the editor's text, show what is stored now, and let them save again on top of it."""
        self.conflict = conflict
        current = conflict.current
        self.conflict_rows = []
        for name in self._meta.fields:
            theirs = getattr(current, name)
            yours = self.cleaned_data.get(name)
            if theirs != yours:
                self.conflict_rows.append(
                    {"label": self.fields[name].label, "theirs": theirs, "yours": yours}
                )
        self.data = self.data.copy()
        self.data["version"] = current.version
        self.add_error(
            None,
            _(
                "Someone else saved this while you were editing. Their version is shown below; "
                "your text is still in the form. Save again to keep yours."
            ),
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
