from django import forms
from django.utils.translation import gettext_lazy as _

from conet.actionplans.models import (
    Action,
    Indicator,
    LocalActionPlan,
    Objective,
    PeerReview,
    PlanSection,
    ProblemNode,
)
from conet.core.forms import DateInput, VersionedForm
from conet.localgroups.models import Stakeholder


class PlanSettingsForm(VersionedForm):
    class Meta:
        model = LocalActionPlan
        fields = ["title", "members_may_edit", "progress_weighting"]


class SectionForm(VersionedForm):
    class Meta:
        model = PlanSection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}


class NodeAddForm(forms.ModelForm):
    class Meta:
        model = ProblemNode
        fields = ["kind", "parent", "statement", "objective"]

    def __init__(self, *args, plan: LocalActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["parent"].queryset = plan.problem_nodes.order_by("position", "pk")


class NodeForm(VersionedForm):
    class Meta:
        model = ProblemNode
        fields = ["statement", "objective"]


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "problem_node"]

    def __init__(self, *args, plan: LocalActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_node"].queryset = plan.problem_nodes.order_by("position", "pk")


class ObjectiveEditForm(VersionedForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "problem_node"]

    def __init__(self, *args, plan: LocalActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_node"].queryset = plan.problem_nodes.order_by("position", "pk")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "kind", "definition", "unit", "baseline", "target", "source", "frequency",
            "monitoring_indicator", "monitoring_area", "baseline_period", "target_period",
        ]  # fmt: skip

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.objective = objective
        city = objective.plan.partnership.city
        self.fields["monitoring_indicator"].queryset = city.indicators.all()
        self.fields["monitoring_area"].queryset = city.areas.all()


class IndicatorEditForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = IndicatorForm.Meta.fields

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        city = objective.plan.partnership.city
        self.fields["monitoring_indicator"].queryset = city.indicators.all()
        self.fields["monitoring_area"].queryset = city.areas.all()


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = [
            "title", "description", "lead", "partners", "start_date", "end_date", "cost",
            "funding_source", "objectives", "indicators", "core_tasks", "risks", "status",
            "progress",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    LINKS = ("partners", "objectives", "indicators", "core_tasks")

    def __init__(self, *args, plan: LocalActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Stakeholder.objects.filter(
            group__partnership=plan.partnership
        )
        self.fields["objectives"].queryset = plan.objectives.all()
        self.fields["indicators"].queryset = Indicator.objects.filter(objective__plan=plan)
        self.fields["core_tasks"].queryset = plan.partnership.network.core_tasks.all()

    def changes(self) -> dict:
        changes = super().changes()
        for name in self.LINKS:
            changes[name] = list(changes[name])
        return changes

    def show_conflict(self, conflict) -> None:
        super().show_conflict(conflict)
        for row, name in zip(self.conflict_rows, self._changed_names(conflict), strict=False):
            if name in self.LINKS:
                row["theirs"] = ", ".join(
                    str(item) for item in getattr(conflict.current, name).all()
                )
                row["yours"] = ", ".join(str(item) for item in self.cleaned_data.get(name, []))

    def _changed_names(self, conflict) -> list[str]:
        return [
            name
            for name in self._meta.fields
            if getattr(conflict.current, name) != self.cleaned_data.get(name)
        ]


class ProgressForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["progress", "status"]


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        label=_("section"),
        choices=[("", _("the plan as a whole")), *PlanSection.Kind.choices],
        required=False,
    )
    text = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PeerReview
        fields = [
            "coherence", "coherence_comment", "feasibility", "feasibility_comment",
            "integrated_approach", "integrated_approach_comment",
        ]  # fmt: skip
        widgets = {
            name: forms.NumberInput(attrs={"min": 1, "max": 5})
            for name in ("coherence", "feasibility", "integrated_approach")
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file of actions"))
