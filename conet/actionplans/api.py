"""API for Local Support Groups, stakeholders, plans, objectives, indicators and actions.

Reading a working plan needs the same right as its page (a token or a session identifies the
caller); launched versions are public. Stakeholders' e-mail and telephone are given only to who may
see contact details (the city's coordinator, platform admins), and only with recorded consent.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from conet.actionplans import selectors, services
from conet.actionplans.models import Action, Indicator, Objective, PlanVersion
from conet.api.auth import WRITE_AUTH, reader
from conet.core.permissions import require
from conet.localgroups import services as group_services
from conet.localgroups.models import Stakeholder
from conet.localgroups.selectors import stakeholders_of
from conet.localgroups.services import group_of

router = Router(tags=["action plans"])


class StakeholderOut(Schema):
    id: int
    name: str
    organisation: str
    sector: str
    kind: str
    power: int
    interest: int
    is_member: bool
    email: str | None = None
    phone: str | None = None
    version: int


class StakeholderPatch(Schema):
    version: int
    name: str | None = None
    organisation: str | None = None
    sector: str | None = None
    kind: str | None = None
    power: int | None = None
    interest: int | None = None
    is_member: bool | None = None
    email: str | None = None
    phone: str | None = None
    consent: bool | None = None


class StakeholderIn(Schema):
    name: str
    organisation: str = ""
    sector: str
    kind: str
    power: int = 3
    interest: int = 3
    is_member: bool = False
    consent: bool = False
    email: str = ""
    phone: str = ""


class GroupOut(Schema):
    city: str
    network: str
    purpose: str
    self_assessment: str
    stakeholders: list[StakeholderOut]


class SectionOut(Schema):
    kind: str
    text: str
    version: int


class NodeOut(Schema):
    id: int
    kind: str
    parent: int | None = Field(None, alias="parent_id")
    statement: str
    objective: str


class IndicatorOut(Schema):
    id: int
    objective: int = Field(..., alias="objective_id")
    kind: str
    definition: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    source: str
    frequency: str
    monitoring_indicator: int | None = Field(None, alias="monitoring_indicator_id")
    monitoring_area: int | None = Field(None, alias="monitoring_area_id")
    baseline_period: str = ""
    target_period: str = ""
    version: int


class IndicatorIn(Schema):
    kind: str
    definition: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    source: str = ""
    frequency: str = ""
    monitoring_indicator: int | None = None
    monitoring_area: int | None = None
    baseline_period: str = ""
    target_period: str = ""


class IndicatorPatch(Schema):
    version: int
    kind: str | None = None
    definition: str | None = None
    unit: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    source: str | None = None
    frequency: str | None = None
    baseline_period: str | None = None
    target_period: str | None = None


class ObjectivePatch(Schema):
    version: int
    title: str | None = None
    description: str | None = None


class ObjectiveOut(Schema):
    number: int
    title: str
    description: str
    version: int
    progress: float | None = None
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(objective):
        return list(objective.indicators.all())


class ActionOut(Schema):
    number: int
    title: str
    description: str
    lead: str
    partners: list[str]
    start_date: date | None
    end_date: date | None
    cost: Decimal | None
    funding_source: str
    objectives: list[int]
    core_tasks: list[int]
    risks: str
    status: str
    progress: int
    version: int

    @staticmethod
    def resolve_partners(action):
        return [p.name for p in action.partners.all()]

    @staticmethod
    def resolve_objectives(action):
        return [o.number for o in action.objectives.all()]

    @staticmethod
    def resolve_core_tasks(action):
        return [t.number for t in action.core_tasks.all()]


class ActionIn(Schema):
    title: str
    description: str = ""
    lead: str = ""
    start_date: date | None = None
    end_date: date | None = None
    cost: Decimal | None = None
    funding_source: str = ""
    risks: str = ""
    partners: list[int] = []
    objectives: list[int] = []


class ActionPatch(Schema):
    version: int
    title: str | None = None
    description: str | None = None
    lead: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    cost: Decimal | None = None
    funding_source: str | None = None
    risks: str | None = None
    status: str | None = None
    progress: int | None = None


class PlanOut(Schema):
    city: str
    network: str
    title: str
    status: str
    version: int
    progress: float | None
    progress_weighting: str
    launched_versions: list[str]
    sections: list[SectionOut]
    problem_tree: list[NodeOut]


class VersionOut(Schema):
    label: str
    launched_at: str
    snapshot: dict


def _working_page(request, slug: str, city_slug: str):
    plan = selectors.plan_for(slug, city_slug)
    require(request, "actionplans.view_working_plan", plan)
    return selectors.plan_page(plan)


def _stakeholder_out(stakeholder, show_contacts: bool) -> dict:
    data = StakeholderOut.from_orm(stakeholder).dict()
    if not (show_contacts and stakeholder.consent_given_at):
        data["email"] = data["phone"] = None
    return data


@router.get("/networks/{slug}/partners/{city_slug}/group", response=GroupOut, auth=reader)
def get_group(request, slug: str, city_slug: str):
    group = group_of(selectors.partnership_for(slug, city_slug))
    require(request, "localgroups.view_group", group)
    contacts = request.user.has_perm("localgroups.view_contacts", group)
    return {
        "city": group.partnership.city.name,
        "network": group.partnership.network.name,
        "purpose": group.purpose,
        "self_assessment": group.self_assessment,
        "stakeholders": [_stakeholder_out(s, contacts) for s in stakeholders_of(group)],
    }


@router.post(
    "/networks/{slug}/partners/{city_slug}/group/stakeholders",
    response={201: StakeholderOut},
    auth=WRITE_AUTH,
)
def add_stakeholder(request, slug: str, city_slug: str, payload: StakeholderIn):
    group = group_of(selectors.partnership_for(slug, city_slug))
    stakeholder = group_services.add_stakeholder(group, by=request.user, **payload.dict())
    return 201, _stakeholder_out(stakeholder, show_contacts=True)


@router.get("/networks/{slug}/plans/{city_slug}", response=PlanOut, auth=reader)
def get_plan(request, slug: str, city_slug: str):
    page = _working_page(request, slug, city_slug)
    plan = page.plan
    return {
        "city": plan.partnership.city.name,
        "network": plan.partnership.network.name,
        "title": plan.title,
        "status": plan.status,
        "version": plan.version,
        "progress": page.progress,
        "progress_weighting": plan.progress_weighting,
        "launched_versions": [v.label for v in page.versions],
        "sections": page.sections,
        "problem_tree": page.tree.nodes,
    }


@router.get("/networks/{slug}/plans/{city_slug}/versions", response=list[str])
def list_versions(request, slug: str, city_slug: str):
    plan = selectors.plan_for(slug, city_slug)
    return [v.label for v in plan.versions.order_by("-major", "-minor")]


@router.get("/networks/{slug}/plans/{city_slug}/versions/{label}", response=VersionOut)
def get_version(request, slug: str, city_slug: str, label: str):
    plan = selectors.plan_for(slug, city_slug)
    major, _dot, minor = label.partition(".")
    if not (major.isdigit() and minor.isdigit()):
        raise Http404
    version = get_object_or_404(PlanVersion, plan=plan, major=int(major), minor=int(minor))
    return {
        "label": version.label,
        "launched_at": version.launched_at.isoformat(),
        "snapshot": version.snapshot,
    }


@router.get(
    "/networks/{slug}/plans/{city_slug}/objectives", response=list[ObjectiveOut], auth=reader
)
def list_objectives(request, slug: str, city_slug: str):
    return _working_page(request, slug, city_slug).objectives


@router.get(
    "/networks/{slug}/plans/{city_slug}/indicators", response=list[IndicatorOut], auth=reader
)
def list_indicators(request, slug: str, city_slug: str):
    page = _working_page(request, slug, city_slug)
    return [i for objective in page.objectives for i in objective.indicators.all()]


@router.post(
    "/networks/{slug}/plans/{city_slug}/objectives/{number}/indicators",
    response={201: IndicatorOut},
    auth=WRITE_AUTH,
)
def add_indicator(request, slug: str, city_slug: str, number: int, payload: IndicatorIn):
    plan = selectors.plan_for(slug, city_slug)
    objective = get_object_or_404(Objective, plan=plan, number=number)
    objective.plan = plan
    require(request, "actionplans.edit_content", plan)
    data = payload.dict()
    # Ids only: whether they are of the plan's city is the model's check, with its message.
    data["monitoring_indicator_id"] = data.pop("monitoring_indicator")
    data["monitoring_area_id"] = data.pop("monitoring_area")
    return 201, services.add_indicator(objective, by=request.user, **data)


@router.get("/networks/{slug}/plans/{city_slug}/actions", response=list[ActionOut], auth=reader)
def list_actions(request, slug: str, city_slug: str):
    return _working_page(request, slug, city_slug).actions


@router.post(
    "/networks/{slug}/plans/{city_slug}/actions", response={201: ActionOut}, auth=WRITE_AUTH
)
def add_action(request, slug: str, city_slug: str, payload: ActionIn):
    plan = selectors.plan_for(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    data = payload.dict()
    partners = list(
        Stakeholder.objects.filter(pk__in=data["partners"], group__partnership=plan.partnership)
    )
    objectives = list(plan.objectives.filter(number__in=data["objectives"]))
    if len(partners) != len(set(data["partners"])):
        raise ValidationError({"partners": _("Unknown stakeholder of this group.")})
    if len(objectives) != len(set(data["objectives"])):
        raise ValidationError({"objectives": _("Unknown objective number.")})
    data.update(partners=partners, objectives=objectives)
    return 201, services.add_action(plan, by=request.user, **data)


@router.patch(
    "/networks/{slug}/plans/{city_slug}/actions/{number}", response=ActionOut, auth=WRITE_AUTH
)
def patch_action(request, slug: str, city_slug: str, number: int, payload: ActionPatch):
    plan = selectors.plan_for(slug, city_slug)
    action = get_object_or_404(Action, plan=plan, number=number)
    action.plan = plan
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_action(action, by=request.user, expected_version=version, changes=data)


@router.patch(
    "/networks/{slug}/plans/{city_slug}/objectives/{number}",
    response=ObjectiveOut,
    auth=WRITE_AUTH,
)
def patch_objective(request, slug: str, city_slug: str, number: int, payload: ObjectivePatch):
    """Change an objective; `version` is the one read, and an older one answers 409."""
    plan = selectors.plan_for(slug, city_slug)
    objective = get_object_or_404(Objective, plan=plan, number=number)
    objective.plan = plan
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_objective(
        objective, by=request.user, expected_version=version, changes=data
    )


@router.patch(
    "/networks/{slug}/plans/{city_slug}/objectives/{number}/indicators/{pk}",
    response=IndicatorOut,
    auth=WRITE_AUTH,
)
def patch_indicator(
    request, slug: str, city_slug: str, number: int, pk: int, payload: IndicatorPatch
):
    """Change an indicator; `version` is the one read, and an older one answers 409."""
    plan = selectors.plan_for(slug, city_slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective"),
        objective__plan=plan,
        objective__number=number,
        pk=pk,
    )
    indicator.objective.plan = plan
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_indicator(
        indicator, by=request.user, expected_version=version, changes=data
    )


def _stakeholder(slug: str, city_slug: str, pk: int) -> Stakeholder:
    group = group_of(selectors.partnership_for(slug, city_slug))
    stakeholder = get_object_or_404(Stakeholder, group=group, pk=pk)
    stakeholder.group = group
    return stakeholder


@router.patch(
    "/networks/{slug}/partners/{city_slug}/group/stakeholders/{pk}",
    response=StakeholderOut,
    auth=WRITE_AUTH,
)
def patch_stakeholder(request, slug: str, city_slug: str, pk: int, payload: StakeholderPatch):
    """Change a stakeholder; `consent` false withdraws consent and erases the contact details."""
    stakeholder = _stakeholder(slug, city_slug, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    consent = data.pop("consent", None)
    saved = group_services.update_stakeholder(
        stakeholder, by=request.user, expected_version=version, changes=data, consent=consent
    )
    return _stakeholder_out(saved, show_contacts=True)


@router.delete(
    "/networks/{slug}/partners/{city_slug}/group/stakeholders/{pk}",
    response={204: None},
    auth=WRITE_AUTH,
)
def delete_stakeholder(request, slug: str, city_slug: str, pk: int, version: int):
    """Remove a stakeholder, given the version read (`?version=`); an older one answers 409."""
    stakeholder = _stakeholder(slug, city_slug, pk)
    group_services.remove_stakeholder(stakeholder, by=request.user, expected_version=version)
    return 204, None
