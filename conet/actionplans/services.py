"""Every write to a Local Action Plan: one function per use case, one transaction each.

Sections, problem-tree nodes, objectives and actions carry a version: a save that started from an
older version raises `EditConflict` (conet.core.concurrency) instead of overwriting the other change.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conet.actionplans.models import (
    Action,
    Draft,
    Indicator,
    LocalActionPlan,
    Objective,
    PeerReview,
    PlanComment,
    PlanSection,
    PlanVersion,
    ProblemNode,
)
from conet.core import audit
from conet.core.activity import record_activity
from conet.core.concurrency import update_versioned
from conet.core.permissions import require
from conet.networks.models import Partnership

Status = LocalActionPlan.Status
PLAN_FIELDS = ["title", "members_may_edit", "progress_weighting"]
NODE_FIELDS = ["statement", "objective", "position"]
OBJECTIVE_FIELDS = ["title", "description", "problem_node"]
ACTION_FIELDS = [
    "title", "description", "lead", "start_date", "end_date", "cost", "funding_source", "risks",
    "status", "progress",
]  # fmt: skip
ACTION_LINKS = ["partners", "objectives", "indicators", "core_tasks"]
INDICATOR_FIELDS = [
    "kind", "definition", "unit", "baseline", "target", "source", "frequency",
    "monitoring_indicator", "monitoring_area", "baseline_period", "target_period",
]  # fmt: skip
DRAFT_LIMIT = 100_000  # characters of typed text kept per draft


def _history(plan: LocalActionPlan, kind: str, by, **data) -> None:
    """One line of the plan's history (who changed what and when), kept with the plan, not public."""
    record_activity(kind=kind, scope=plan, actor=by, data={"actor": str(by), **data}, public=False)


def _validate(instance, changes: dict, exclude=None) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_plan(partnership: Partnership, *, by, title: str = "") -> LocalActionPlan:
    """The partnership's one living plan, with an empty section of every kind."""
    require(by, "actionplans.create_plan", partnership)
    if LocalActionPlan.objects.filter(partnership=partnership).exists():
        raise ValidationError(_("This city already has a Local Action Plan in this network."))
    plan = LocalActionPlan(
        partnership=partnership,
        title=title or _("Local Action Plan of %(city)s") % {"city": partnership.city.name},
    )
    plan.full_clean(exclude=["partnership"], validate_unique=False, validate_constraints=False)
    plan.save()
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, kind=kind) for kind in PlanSection.Kind.values
    )
    return plan


@transaction.atomic
def update_plan(plan: LocalActionPlan, *, by, expected_version: int, changes: dict):
    require(by, "actionplans.manage_plan", plan)
    changes = {name: value for name, value in changes.items() if name in PLAN_FIELDS}
    _validate(LocalActionPlan.objects.get(pk=plan.pk), changes, exclude=["partnership"])
    return update_versioned(plan, expected_version, changes)


@transaction.atomic
def update_section(section: PlanSection, *, by, expected_version: int, text: str) -> PlanSection:
    require(by, "actionplans.edit_content", section.plan)
    saved = update_versioned(section, expected_version, {"text": text, "updated_by": by})
    _history(section.plan, "plan.section_saved", by, section=str(section.get_kind_display()))
    discard_draft(section.plan, by=by, key=f"section:{section.kind}")
    return saved


# The problem tree -------------------------------------------------------------------------------


@transaction.atomic
def add_problem_node(
    plan: LocalActionPlan, *, by, kind: str, statement: str, parent=None, objective: str = ""
) -> ProblemNode:
    require(by, "actionplans.edit_content", plan)
    if kind == ProblemNode.Kind.CORE and plan.problem_nodes.filter(kind=kind).exists():
        raise ValidationError({"kind": _("The tree already has a core problem.")})
    position = plan.problem_nodes.filter(parent=parent).count()
    node = ProblemNode(
        plan=plan, kind=kind, parent=parent, statement=statement, objective=objective,
        position=position,
    )  # fmt: skip
    node.full_clean(validate_unique=False, validate_constraints=False)
    node.save()
    _history(plan, "plan.tree_changed", by, statement=node.statement)
    return node


@transaction.atomic
def update_problem_node(node: ProblemNode, *, by, expected_version: int, changes: dict):
    require(by, "actionplans.edit_content", node.plan)
    changes = {name: value for name, value in changes.items() if name in NODE_FIELDS}
    _validate(ProblemNode.objects.select_related("parent").get(pk=node.pk), changes)
    saved = update_versioned(node, expected_version, changes)
    _history(node.plan, "plan.tree_changed", by, statement=saved.statement)
    return saved


@transaction.atomic
def remove_problem_node(node: ProblemNode, *, by) -> None:
    """The node and everything hanging under it."""
    require(by, "actionplans.edit_content", node.plan)
    node.delete()


def _next_number(plan: LocalActionPlan, numbered) -> int:
    """The number after the plan's highest objective or action (`numbered`), for this transaction.

    Two people adding at once would both read the same highest number; the second insert would
    then break the unique (plan, number) constraint. The plan's row lock makes the second wait
    until the first has committed and then read its number. On SQLite `select_for_update` does
    nothing: there the IMMEDIATE transaction (conet/settings.py) already holds the write lock.
    """
    LocalActionPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").first()
    return _highest_number(numbered) + 1


def _highest_number(numbered) -> int:
    return numbered.order_by("-number").values_list("number", flat=True).first() or 0


# Objectives and indicators ----------------------------------------------------------------------


@transaction.atomic
def add_objective(
    plan: LocalActionPlan, *, by, title: str, description: str = "", problem_node=None
):
    require(by, "actionplans.edit_content", plan)
    if problem_node is not None and problem_node.plan_id != plan.pk:
        raise ValidationError({"problem_node": _("The node belongs to another plan.")})
    number = _next_number(plan, plan.objectives)
    objective = Objective(
        plan=plan, number=number, title=title, description=description, problem_node=problem_node
    )
    objective.full_clean(validate_unique=False, validate_constraints=False)
    objective.save()
    _history(plan, "plan.objective_added", by, number=number, title=title)
    return objective


@transaction.atomic
def update_objective(objective: Objective, *, by, expected_version: int, changes: dict):
    require(by, "actionplans.edit_content", objective.plan)
    changes = {name: value for name, value in changes.items() if name in OBJECTIVE_FIELDS}
    node = changes.get("problem_node")
    if node is not None and node.plan_id != objective.plan_id:
        raise ValidationError({"problem_node": _("The node belongs to another plan.")})
    _validate(Objective.objects.get(pk=objective.pk), changes)
    saved = update_versioned(objective, expected_version, changes)
    _history(objective.plan, "plan.objective_saved", by, number=saved.number, title=saved.title)
    return saved


@transaction.atomic
def add_indicator(objective: Objective, *, by, **fields) -> Indicator:
    require(by, "actionplans.edit_content", objective.plan)
    indicator = Indicator(objective=objective, **fields)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, *, by, expected_version: int, changes: dict):
    """A changed definition, baseline, target …: refused when someone saved it meanwhile."""
    objective = indicator.objective
    require(by, "actionplans.edit_content", objective.plan)
    changes = {name: value for name, value in changes.items() if name in INDICATOR_FIELDS}
    probe = Indicator.objects.get(pk=indicator.pk)
    probe.objective = objective
    _validate(probe, changes)
    saved = update_versioned(indicator, expected_version, changes)
    _history(objective.plan, "plan.indicator_saved", by, definition=saved.definition)
    return saved


# Drafts -----------------------------------------------------------------------------------------


def draft_key_is_valid(plan: LocalActionPlan, key: str) -> bool:
    """`section:<kind>`, `action:new` or `action:<number>` of an action of this plan."""
    kind, _sep, name = key.partition(":")
    if kind == "section":
        return name in PlanSection.Kind.values
    if kind == "action":
        return name == "new" or (name.isdigit() and plan.actions.filter(number=name).exists())
    return False


@transaction.atomic
def save_draft(plan: LocalActionPlan, *, by, key: str, data: dict, base_version: int) -> Draft:
    """Keep what `by` typed into one form; the row itself and its version stay untouched."""
    require(by, "actionplans.edit_content", plan)
    if not draft_key_is_valid(plan, key):
        raise ValidationError({"key": _("Unknown form.")})
    if sum(len(value) for values in data.values() for value in values) > DRAFT_LIMIT:
        raise ValidationError({"data": _("The draft is too long to keep.")})
    draft, _created = Draft.objects.update_or_create(
        plan=plan, user=by, key=key, defaults={"data": data, "base_version": base_version}
    )
    return draft


def discard_draft(plan: LocalActionPlan, *, by, key: str) -> None:
    Draft.objects.filter(plan=plan, user=by, key=key).delete()


# Actions ----------------------------------------------------------------------------------------


def _check_links(plan: LocalActionPlan, links: dict) -> None:
    """Partners, objectives and indicators must belong to this plan, core tasks to its network."""
    owners = {
        "partners": lambda item: item.group.partnership_id == plan.partnership_id,
        "objectives": lambda item: item.plan_id == plan.pk,
        "indicators": lambda item: item.objective.plan_id == plan.pk,
        "core_tasks": lambda item: item.network_id == plan.partnership.network_id,
    }
    for name, items in links.items():
        if any(not owners[name](item) for item in items):
            raise ValidationError({name: _("Choose only from this plan and its network.")})


def _set_links(action: Action, links: dict) -> None:
    for name, items in links.items():
        getattr(action, name).set(items)


@transaction.atomic
def add_action(plan: LocalActionPlan, *, by, **fields) -> Action:
    require(by, "actionplans.edit_content", plan)
    links = {name: fields.pop(name) for name in ACTION_LINKS if name in fields}
    fields = {name: value for name, value in fields.items() if name in ACTION_FIELDS}
    number = _next_number(plan, plan.actions)
    action = Action(plan=plan, number=number, **fields)
    action.full_clean(validate_unique=False, validate_constraints=False)
    _check_links(plan, links)
    action.save()
    _set_links(action, links)
    _history(plan, "plan.action_added", by, number=number, title=action.title)
    discard_draft(plan, by=by, key="action:new")
    return action


@transaction.atomic
def update_action(action: Action, *, by, expected_version: int, changes: dict) -> Action:
    plan = action.plan
    require(by, "actionplans.edit_content", plan)
    links = {name: changes[name] for name in ACTION_LINKS if name in changes}
    changes = {name: value for name, value in changes.items() if name in ACTION_FIELDS}
    _validate(Action.objects.get(pk=action.pk), changes)
    _check_links(plan, links)
    updated = update_versioned(action, expected_version, changes)
    _set_links(updated, links)
    _history(plan, "plan.action_saved", by, number=updated.number, title=updated.title)
    discard_draft(plan, by=by, key=f"action:{updated.number}")
    return updated


@transaction.atomic
def update_progress(
    action: Action, *, by, expected_version: int, progress: int, status: str | None = None
) -> Action:
    """During implementation only the progress and the status of an action move."""
    require(by, "actionplans.update_progress", action.plan)
    changes = {"progress": progress, **({"status": status} if status else {})}
    _validate(Action.objects.get(pk=action.pk), changes)
    saved = update_versioned(action, expected_version, changes)
    _history(action.plan, "plan.action_saved", by, number=saved.number, title=saved.title)
    return saved


@transaction.atomic
def remove_action(action: Action, *, by) -> None:
    require(by, "actionplans.edit_content", action.plan)
    action.delete()


# Consultation and review ------------------------------------------------------------------------


@transaction.atomic
def comment(plan: LocalActionPlan, *, by, text: str, section: str = "") -> PlanComment:
    require(by, "actionplans.comment", plan)
    if section and section not in PlanSection.Kind.values:
        raise ValidationError({"section": _("Unknown section.")})
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    return PlanComment.objects.create(plan=plan, author=by, section=section, text=text.strip())


@transaction.atomic
def review(plan: LocalActionPlan, *, by, **scores) -> PeerReview:
    require(by, "actionplans.review", plan)
    peer_review = PeerReview(plan=plan, reviewer=by, review_round=plan.review_round, **scores)
    peer_review.full_clean(validate_unique=False, validate_constraints=False)
    if PeerReview.objects.filter(plan=plan, review_round=plan.review_round, reviewer=by).exists():
        raise ValidationError(_("You have already reviewed this submission."))
    peer_review.save()
    record_activity(
        kind="plan.reviewed",
        scope=plan.partnership.network,
        actor=by,
        data={"city": plan.partnership.city.name, "reviewer": str(by)},
        public=False,
    )
    return peer_review


# The workflow -----------------------------------------------------------------------------------

# name → (states it leaves from, state it reaches, permission). Declared once; the pages offer
# exactly the transitions a person may take from the plan's present state.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "open_consultation": ((Status.DRAFT,), Status.CONSULTATION, "actionplans.manage_plan"),
    "close_consultation": ((Status.CONSULTATION,), Status.DRAFT, "actionplans.manage_plan"),
    "submit": ((Status.DRAFT, Status.CONSULTATION), Status.SUBMITTED, "actionplans.manage_plan"),
    "close_review": ((Status.SUBMITTED,), Status.REVIEWED, "actionplans.steer_review"),
    "return_for_changes": (
        (Status.SUBMITTED, Status.REVIEWED),
        Status.DRAFT,
        "actionplans.steer_review",
    ),
    "approve": ((Status.REVIEWED,), Status.APPROVED, "actionplans.manage_plan"),
    "start_implementation": ((Status.APPROVED,), Status.IMPLEMENTATION, "actionplans.manage_plan"),
    "revise": ((Status.APPROVED, Status.IMPLEMENTATION), Status.DRAFT, "actionplans.manage_plan"),
}


def transitions_for(user, plan: LocalActionPlan) -> list[str]:
    return [
        name
        for name, (sources, _target, perm) in TRANSITIONS.items()
        if plan.status in sources and user.has_perm(perm, plan)
    ]


@transaction.atomic
def transition(plan: LocalActionPlan, name: str, *, by) -> LocalActionPlan:
    """Move the plan along the workflow; the row is locked so two clicks cannot both move it."""
    if name not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    sources, target, perm = TRANSITIONS[name]
    plan = (
        LocalActionPlan.objects.select_for_update()
        .select_related("partnership__network", "partnership__city")
        .get(pk=plan.pk)
    )
    require(by, perm, plan)
    if plan.status not in sources:
        raise ValidationError(
            _("A plan that is %(status)s cannot take this step.")
            % {"status": plan.get_status_display()}
        )
    changes: dict = {"status": target}
    if name == "submit":
        if not plan.problem_nodes.filter(kind=ProblemNode.Kind.CORE).exists():
            raise ValidationError(_("Name the core problem before submitting the plan."))
        if not plan.actions.exists():
            raise ValidationError(_("Add at least one action before submitting the plan."))
        changes["review_round"] = plan.review_round + 1
    if name == "close_review" and not plan.reviews.filter(review_round=plan.review_round).exists():
        raise ValidationError(_("No review has been written for this submission yet."))
    plan = update_versioned(plan, plan.version, changes)
    plan = LocalActionPlan.objects.select_related("partnership__network", "partnership__city").get(
        pk=plan.pk
    )
    if name == "approve":
        version = _freeze(plan, by=by)
        from conet.actionplans.tasks import enqueue_version_pdf

        enqueue_version_pdf(version, get_language() or settings.LANGUAGE_CODE)
        audit.record(
            "plan.launched",
            actor=by,
            about=plan.partnership,
            summary=f"{plan.partnership.city.name}, {version.label}",
        )
        record_activity(
            kind="plan.launched",
            scope=plan.partnership.network,
            actor=by,
            data={"city": plan.partnership.city.name, "label": version.label},
            link=plan.get_absolute_url(),
        )
    _history(plan, "plan.stepped", by, status=str(plan.get_status_display()))
    if name != "approve":
        record_activity(
            kind="plan.status",
            scope=plan.partnership.network,
            actor=by,
            data={"city": plan.partnership.city.name, "status": str(plan.get_status_display())},
            public=False,
        )
    return plan


def _freeze(plan: LocalActionPlan, *, by) -> PlanVersion:
    """The next launched version: 1.0 first, then 1.1, 1.2 … for each revision approved again."""
    from conet.actionplans.selectors import snapshot

    last = plan.versions.order_by("-major", "-minor").first()
    major, minor = (1, 0) if last is None else (last.major, last.minor + 1)
    return PlanVersion.objects.create(
        plan=plan, major=major, minor=minor, snapshot=snapshot(plan), launched_by=by
    )


# Import -----------------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def import_actions(plan: LocalActionPlan, *, by, text: str):
    """Add every row of an actions CSV, or none: the report lists every bad value by row and column."""
    from conet.actionplans.exports import read_actions

    require(by, "actionplans.edit_content", plan)
    parsed = read_actions(plan, text)
    if parsed.errors:
        return parsed
    for row in parsed.rows:
        add_action(plan, by=by, **row)
    return parsed
