"""Form pieces shared by every app."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
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


def save_versioned_form(request, form: VersionedForm, save) -> bool:
    """The one edit flow for versioned rows: validate, call the service, show what went wrong.

    `save(expected_version=…, changes=…)` is the service; an EditConflict shows the other
    person's change in the form, a refused change its reason. True when saved.
    """
    if not form.is_valid():
        return False
    try:
        save(expected_version=form.cleaned_data["version"], changes=form.changes())
    except EditConflict as conflict:
        form.show_conflict(conflict)
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Saved."))
    return True
