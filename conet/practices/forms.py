"""Forms of the practices app: the practice, its files and label, interviews, approach texts, guide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conet.core.forms import DateInput, VersionedForm
from conet.networks.models import CoreTask
from conet.practices.models import (
    ApproachText,
    Attachment,
    GoodPractice,
    Guide,
    Interview,
    InterviewAnswer,
    LabelAssessment,
    Status,
)

LANGUAGE_CHOICES = settings.LANGUAGES


class KeywordsField(forms.CharField):
    """Keywords, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [
            " ".join(line.split()) for line in text.replace(";", "\n").splitlines() if line.strip()
        ]


class PracticeFields(forms.ModelForm):
    keywords = KeywordsField(label=_("Keywords"), required=False, help_text=_("One a line."))
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)
    core_tasks = forms.ModelMultipleChoiceField(
        label=_("Core tasks"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GoodPractice
        fields = [
            "name", "description", "city_name", "population", "country", "country_code",
            "start_year", "end_year", "ongoing", "end_note", "budget", "keywords", "summary",
            "solution", "integrated_approach", "participation", "outcomes", "transferability",
            "location", "latitude", "longitude", "language",
        ]  # fmt: skip

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        network = network or self.instance.network
        tasks = CoreTask.objects.filter(network=network) if network else CoreTask.objects.none()
        self.fields["core_tasks"].queryset = tasks
        if self.instance.pk:
            self.initial.setdefault("core_tasks", list(self.instance.core_tasks.all()))


class PracticeForm(PracticeFields, VersionedForm):
    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ProposeForm(PracticeFields):
    city = forms.ModelChoiceField(label=_("City"), queryset=None, required=False)

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        for name in ("city_name", "country"):
            self.fields[name].required = False
        self.order_fields(["name", "city", "description"])


class AttachmentForm(forms.ModelForm):
    url = forms.URLField(label=_("address"), required=False, assume_scheme="https")

    class Meta:
        model = Attachment
        fields = ["kind", "title", "file", "url"]


class LabelForm(forms.Form):
    """The four URBACT label criteria, each met or not, each with its reasons."""

    def __init__(self, *args, assessments=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {a.criterion: a for a in (assessments or [])}
        for value, label in LabelAssessment.Criterion.choices:
            assessment = current.get(value)
            self.fields[f"{value}_met"] = forms.BooleanField(
                label=_("%(criterion)s: met") % {"criterion": label},
                required=False,
                initial=assessment.met if assessment else False,
            )
            self.fields[f"{value}_comment"] = forms.CharField(
                label=_("%(criterion)s: comment") % {"criterion": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=assessment.comment if assessment else "",
            )

    def criteria(self):
        for value, _label in LabelAssessment.Criterion.choices:
            yield value, self.cleaned_data[f"{value}_met"], self.cleaned_data[f"{value}_comment"]


class InterviewForm(VersionedForm):
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = Interview
        fields = [
            "person_name", "person_role", "city_name", "interviewed_on", "introduction",
            "language", "consent_to_publish",
        ]  # fmt: skip
        widgets = {"interviewed_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        # Unticking consent takes a published interview off the site (the service does the same):
        # the model's "published only with consent" check must see it as the draft it becomes.
        if not cleaned.get("consent_to_publish") and self.instance.status == Status.PUBLISHED:
            self.instance.status = Status.DRAFT
        return cleaned


class NewInterviewForm(InterviewForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.ModelForm):
    class Meta:
        model = InterviewAnswer
        fields = ["question", "answer"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 4}),
        }


AnswerFormSet = forms.formset_factory(AnswerForm, extra=2)


class ApproachForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = ApproachText
        fields = ["title", "text", "language"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


class GuideForm(VersionedForm):
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = Guide
        fields = ["title", "introduction", "language"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 10})}


class NewGuideForm(GuideForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChapterForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    introduction = forms.CharField(
        label=_("Introduction to the chapter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Good practices"),
        queryset=GoodPractice.objects.filter(status=Status.PUBLISHED).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    excerpts = forms.ModelMultipleChoiceField(
        label=_("Interview excerpts"),
        queryset=InterviewAnswer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excerpts"].queryset = InterviewAnswer.objects.filter(
            interview__network=network, interview__consent_to_publish=True
        ).select_related("interview")
        self.fields["excerpts"].label_from_instance = lambda answer: (
            f"{answer.interview.person_name}: {answer.question[:90]}"
        )
