"""Reads that the plan pages, the documents and the API share, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from conet.actionplans.models import (
    Action,
    Indicator,
    LocalActionPlan,
    Objective,
    PeerReview,
    PlanSection,
    PlanVersion,
    ProblemNode,
)
from conet.actionplans.progress import objective_progress, rolled_up
from conet.core.activity import events_for
from conet.core.translations.selectors import attach
from conet.localgroups.models import LocalSupportGroup
from conet.monitoring.models import Observation
from conet.networks.models import Network, Partnership

HISTORY_LENGTH = 30


def plan_for(network_slug: str, city_slug: str) -> LocalActionPlan:
    return get_object_or_404(
        LocalActionPlan.objects.select_related("partnership__network", "partnership__city"),
        partnership__network__slug=network_slug,
        partnership__city__slug=city_slug,
    )


def partnership_for(network_slug: str, city_slug: str) -> Partnership:
    return get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=network_slug,
        city__slug=city_slug,
    )


def actions_of(plan: LocalActionPlan):
    return (
        Action.objects.filter(plan=plan)
        .prefetch_related("partners", "objectives", "indicators", "core_tasks")
        .order_by("number")
    )


@dataclass
class TreeNode:
    node: ProblemNode
    children: list["TreeNode"] = field(default_factory=list)


@dataclass
class ProblemTree:
    core: ProblemNode | None
    causes: list[TreeNode]
    effects: list[TreeNode]
    nodes: list[ProblemNode]


def problem_tree(nodes: list[ProblemNode]) -> ProblemTree:
    """Nest the flat list of nodes: effects (branches) and causes (roots) around the core (trunk)."""
    wrapped = {node.pk: TreeNode(node) for node in nodes}
    core = next((node for node in nodes if node.kind == ProblemNode.Kind.CORE), None)
    causes, effects = [], []
    for node in nodes:
        if node.parent_id is None:
            continue
        parent = wrapped.get(node.parent_id)
        if parent is None:
            continue
        if core is not None and node.parent_id == core.pk:
            (causes if node.kind == ProblemNode.Kind.CAUSE else effects).append(wrapped[node.pk])
        else:
            parent.children.append(wrapped[node.pk])
    return ProblemTree(core=core, causes=causes, effects=effects, nodes=nodes)


def funding_totals(actions) -> dict:
    """Cost by funding source and by year of the start date (actions without a cost left out)."""
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[str, Decimal] = defaultdict(Decimal)
    by_source_year: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for action in actions:
        if action.cost is None or action.status == Action.Status.CANCELLED:
            continue
        source = action.funding_source or "—"
        year = str(action.start_date.year) if action.start_date else "—"
        by_source[source] += action.cost
        by_year[year] += action.cost
        by_source_year[(source, year)] += action.cost
    years = sorted(by_year)
    rows = [
        {
            "source": source,
            "cells": [by_source_year.get((source, year), Decimal(0)) for year in years],
            "total": total,
        }
        for source, total in sorted(by_source.items())
    ]
    return {
        "years": years,
        "rows": rows,
        "year_totals": [by_year[year] for year in years],
        "total": sum(by_source.values(), Decimal(0)),
    }


def gantt(
    actions, *, width: int = 720, row_height: int = 22, label_width: int = 220
) -> dict | None:
    """Bars of the dated actions on a month scale, as numbers an SVG template draws."""
    dated = [a for a in actions if a.start_date and a.end_date]
    if not dated:
        return None
    start = min(a.start_date for a in dated).replace(day=1)
    end = max(a.end_date for a in dated)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    chart_width = width - label_width
    per_day = chart_width / max((end - start).days + 1, 1)
    bars = []
    for row, action in enumerate(dated):
        x = label_width + (action.start_date - start).days * per_day
        w = max((action.end_date - action.start_date).days + 1, 1) * per_day
        bars.append(
            {
                "action": action,
                "x": round(x, 1),
                "y": 24 + row * row_height,
                "width": round(w, 1),
                "done_width": round(w * action.progress / 100, 1),
                "label_y": 24 + row * row_height + 15,
            }
        )
    ticks = []
    year, month = start.year, start.month
    for index in range(months):
        from datetime import date

        day = date(year, month, 1)
        if month == 1 or index == 0:
            ticks.append({"x": round(label_width + (day - start).days * per_day, 1), "label": year})
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return {
        "width": width,
        "height": 30 + len(dated) * row_height,
        "bars": bars,
        "ticks": ticks,
        "label_width": label_width,
    }


@dataclass
class MonitoredValues:
    """What a plan indicator linked to the city's monitoring reads from its observations."""

    baseline: float | None
    baseline_period: str
    target: Decimal | float | None
    target_period: str
    actual: float | None
    actual_period: str
    unit: str
    source: str
    area_name: str
    area_url: str


def attach_monitored_values(indicators: list[Indicator]) -> None:
    """Set `indicator.monitored` on every linked indicator (None on the others), in one query.

    The indicators must come with `monitoring_indicator` and `monitoring_area__city` selected.
    Baseline and target are the observations at their periods (the plan's own target where there
    is no target period or no observation for it); the actual value is the most recent period's.
    """
    linked = [indicator for indicator in indicators if indicator.is_linked]
    for indicator in indicators:
        indicator.monitored = None
    if not linked:
        return
    pairs = Q()
    for indicator in linked:
        pairs |= Q(
            indicator_id=indicator.monitoring_indicator_id, area_id=indicator.monitoring_area_id
        )
    values: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for indicator_id, area_id, period, value in Observation.objects.filter(pairs).values_list(
        "indicator_id", "area_id", "period", "value"
    ):
        values[indicator_id, area_id][period] = value
    for indicator in linked:
        series = values.get((indicator.monitoring_indicator_id, indicator.monitoring_area_id), {})
        # Periods of one indicator share a format ("2021", "2020Q4", "2021-12-31"), so the
        # greatest string is the most recent period.
        latest = max(series, default="")
        target = series.get(indicator.target_period) if indicator.target_period else None
        source = indicator.monitoring_indicator
        area = indicator.monitoring_area
        indicator.monitored = MonitoredValues(
            baseline=series.get(indicator.baseline_period),
            baseline_period=indicator.baseline_period,
            target=indicator.target if target is None else target,
            target_period=indicator.target_period,
            actual=series.get(latest),
            actual_period=latest,
            unit=source.unit,
            source=source.source,
            area_name=area.name,
            area_url=area.get_absolute_url(),
        )


def plan_indicators_queryset():
    return Indicator.objects.select_related(
        "monitoring_indicator", "monitoring_area__city"
    ).order_by("kind", "pk")


@dataclass
class PlanPage:
    plan: LocalActionPlan
    sections: list[PlanSection]
    tree: ProblemTree
    objectives: list[Objective]
    actions: list[Action]
    reviews: list[PeerReview]
    versions: list[PlanVersion]
    comments: list
    progress: float | None
    objective_progress: dict
    funding: dict
    gantt: dict | None
    history: list


def _objectives_and_actions(plan: LocalActionPlan, objectives, actions):
    """The objectives (with their indicators' monitored values) and the actions, each objective
    carrying the rolled-up progress of its actions: (objectives, actions, objective id → progress)."""
    objectives = list(
        objectives.prefetch_related(Prefetch("indicators", queryset=plan_indicators_queryset()))
    )
    attach_monitored_values([i for objective in objectives for i in objective.indicators.all()])
    actions = list(actions)
    for action in actions:
        action.objective_ids = [objective.pk for objective in action.objectives.all()]
    by_objective = objective_progress(objectives, actions, plan.progress_weighting)
    for objective in objectives:
        objective.progress = by_objective.get(objective.pk)
    return objectives, actions, by_objective


def plan_page(plan: LocalActionPlan) -> PlanPage:
    """Everything the working plan page shows, in a fixed number of queries."""
    sections = list(plan.sections.select_related("updated_by").order_by("pk"))
    attach(sections)  # the sections in the reader's language: one query, none for the original's
    nodes = list(plan.problem_nodes.order_by("position", "pk"))
    objectives, actions, by_objective = _objectives_and_actions(
        plan, plan.objectives.all(), actions_of(plan)
    )
    return PlanPage(
        plan=plan,
        sections=sections,
        tree=problem_tree(nodes),
        objectives=objectives,
        actions=actions,
        reviews=list(plan.reviews.select_related("reviewer").order_by("-review_round", "pk")),
        versions=list(plan.versions.order_by("-major", "-minor")),
        comments=list(plan.comments.select_related("author").order_by("created_at", "pk")),
        progress=rolled_up(actions, plan.progress_weighting),
        objective_progress=by_objective,
        funding=funding_totals(actions),
        gantt=gantt(actions),
        history=list(events_for([plan], public_only=False)[:HISTORY_LENGTH]),
    )


@dataclass
class PublicProgress:
    """What a launched plan shows everyone of its state today (Decidim's accountability): the
    actions with their progress and status, the Gantt, funding per source, the indicators."""

    progress: float | None
    objectives: list[Objective]
    actions: list[Action]
    funding: dict
    gantt: dict | None


def public_progress(plan: LocalActionPlan, version: PlanVersion) -> PublicProgress:
    """The state today of what `version` agreed — its objectives and actions, with their progress,
    status and indicators as they stand now — in a fixed number of queries. What was added since
    (a revision in preparation), comments, reviews and history stay with the people who work on
    the plan."""
    agreed_actions = [action["number"] for action in version.snapshot.get("actions", [])]
    agreed_objectives = [o["number"] for o in version.snapshot.get("objectives", [])]
    objectives, actions, _by_objective = _objectives_and_actions(
        plan,
        plan.objectives.filter(number__in=agreed_objectives),
        actions_of(plan).filter(number__in=agreed_actions),
    )
    return PublicProgress(
        progress=rolled_up(actions, plan.progress_weighting),
        objectives=objectives,
        actions=actions,
        funding=funding_totals(actions),
        gantt=gantt(actions),
    )


def _latest_versions(plan_ids) -> dict[int, PlanVersion]:
    latest: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.filter(plan_id__in=set(plan_ids)).order_by(
        "plan_id", "major", "minor"
    ):
        latest[version.plan_id] = version
    return latest


def visible_actions(actions, user) -> list[Action]:
    """The actions `user` may see, in one query: everything of a plan they may read while it is
    worked on; of any other plan, only what its latest launched version agreed (a draft plan and
    an action added since the launch stay with the people who work on the plan). The actions
    must come with `plan__partnership` selected; no query for plans the reader works on."""
    actions = list(actions)
    working: dict[int, bool] = {}
    for action in actions:
        if action.plan_id not in working:
            working[action.plan_id] = bool(user) and user.has_perm(
                "actionplans.view_working_plan", action.plan
            )
    others = [plan_id for plan_id, sees_all in working.items() if not sees_all]
    agreed = {
        plan_id: {item["number"] for item in version.snapshot.get("actions", [])}
        for plan_id, version in (_latest_versions(others).items() if others else ())
    }
    return [
        action
        for action in actions
        if working[action.plan_id] or action.number in agreed.get(action.plan_id, ())
    ]


@dataclass
class FocusAreaPlan:
    """A focus area's plan as its page tells it: the actions the reader may see with where they
    came from, the plan's progress and its objectives' indicators."""

    plan: LocalActionPlan
    launched: PlanVersion | None
    actions: list[Action]
    progress: float | None
    objectives: list[Objective]


def focus_area_plan(partnership: Partnership, user) -> FocusAreaPlan | None:
    """The plan of the partnership, or None where there is none the reader may see (a draft for a
    visitor). A fixed number of queries, however many actions and indicators."""
    from conet.actionplans.origins import origins_of

    plan = LocalActionPlan.objects.filter(partnership=partnership).first()
    if plan is None:
        return None
    plan.partnership = partnership
    launched = _latest_versions([plan.pk]).get(plan.pk)
    objectives, actions = plan.objectives.all(), Action.objects.filter(plan=plan)
    if not user.has_perm("actionplans.view_working_plan", plan):
        if launched is None:
            return None
        # What the launched version agreed, as it stands today (as public_progress reads it).
        snapshot = launched.snapshot
        objectives = objectives.filter(
            number__in=[o["number"] for o in snapshot.get("objectives", [])]
        )
        actions = actions.filter(number__in=[a["number"] for a in snapshot.get("actions", [])])
    # Only what the page shows of an action: its objectives (for their progress), no partners.
    objectives, actions, _by = _objectives_and_actions(
        plan, objectives, actions.prefetch_related("objectives").order_by("number")
    )
    origins = origins_of(actions, user)
    for action in actions:
        action.plan = plan
        action.origins = origins.get(action.pk, [])
    return FocusAreaPlan(
        plan=plan,
        launched=launched,
        actions=actions,
        progress=rolled_up(actions, plan.progress_weighting),
        objectives=objectives,
    )


def action_page(plan: LocalActionPlan, number: int, user) -> Action:
    """One action as its public page shows it, with its indicators and origins; 404 where the
    reader may not see it."""
    from conet.actionplans.origins import origins_of

    action = get_object_or_404(
        Action.objects.prefetch_related(
            "partners", "core_tasks", Prefetch("indicators", queryset=plan_indicators_queryset())
        ),
        plan=plan,
        number=number,
    )
    action.plan = plan
    if not visible_actions([action], user):
        raise Http404
    attach_monitored_values(list(action.indicators.all()))
    action.origins = origins_of([action], user).get(action.pk, [])
    return action


def snapshot(plan: LocalActionPlan) -> dict:
    """The whole plan as plain JSON, frozen into a launched version."""
    page = plan_page(plan)
    return {
        "title": plan.title,
        "city": plan.partnership.city.name,
        "network": plan.partnership.network.name,
        "progress_weighting": plan.progress_weighting,
        "sections": [
            {"kind": s.kind, "title": str(s.get_kind_display()), "text": s.text}
            for s in page.sections
        ],
        "problem_tree": [
            {
                "id": n.pk,
                "kind": n.kind,
                "parent": n.parent_id,
                "statement": n.statement,
                "objective": n.objective,
            }
            for n in page.tree.nodes
        ],
        "objectives": [
            {
                "number": o.number,
                "title": o.title,
                "description": o.description,
                "indicators": [
                    {
                        "kind": i.kind,
                        "definition": i.definition,
                        "unit": i.unit,
                        "baseline": None if i.baseline is None else str(i.baseline),
                        "target": None if i.target is None else str(i.target),
                        "source": i.source,
                        "frequency": i.frequency,
                    }
                    for i in o.indicators.all()
                ],
            }
            for o in page.objectives
        ],
        "actions": [
            {
                "number": a.number,
                "title": a.title,
                "description": a.description,
                "lead": a.lead,
                "partners": [p.name for p in a.partners.all()],
                "start_date": a.start_date.isoformat() if a.start_date else None,
                "end_date": a.end_date.isoformat() if a.end_date else None,
                "cost": None if a.cost is None else str(a.cost),
                "funding_source": a.funding_source,
                "objectives": [o.number for o in a.objectives.all()],
                "core_tasks": [t.number for t in a.core_tasks.all()],
                "risks": a.risks,
                "status": a.status,
                "progress": a.progress,
            }
            for a in page.actions
        ],
    }


@dataclass
class OverviewRow:
    partnership: Partnership
    plan: LocalActionPlan | None
    progress: float | None
    scores: dict


def network_overview(network: Network) -> list[OverviewRow]:
    """Every partner's plan with its status, progress and average review scores: four queries."""
    partnerships = list(
        Partnership.objects.filter(network=network)
        .select_related("city", "action_plan")
        .order_by("role", "city__name")
    )
    plans = [p.action_plan for p in partnerships if hasattr(p, "action_plan")]
    actions_by_plan: dict[int, list] = defaultdict(list)
    for action in Action.objects.filter(plan__in=plans).only(
        "plan_id", "cost", "progress", "status"
    ):
        actions_by_plan[action.plan_id].append(action)
    scores = {
        row["plan"]: row
        for row in PeerReview.objects.filter(plan__in=plans)
        .values("plan")
        .annotate(
            coherence=Avg("coherence"),
            feasibility=Avg("feasibility"),
            integrated_approach=Avg("integrated_approach"),
        )
    }
    rows = []
    for partnership in partnerships:
        plan = (
            getattr(partnership, "action_plan", None)
            if hasattr(partnership, "action_plan")
            else None
        )
        rows.append(
            OverviewRow(
                partnership=partnership,
                plan=plan,
                progress=rolled_up(actions_by_plan[plan.pk], plan.progress_weighting)
                if plan
                else None,
                scores=scores.get(plan.pk, {}) if plan else {},
            )
        )
    return rows


def actions_by_core_task(network: Network) -> list[dict]:
    """The actions of every city of the network, grouped by core task: two queries."""
    tasks = list(network.core_tasks.order_by("number"))
    through = Action.core_tasks.through.objects.filter(coretask__network=network).select_related(
        "action__plan__partnership__city"
    )
    grouped: dict[int, list] = defaultdict(list)
    for link in through:
        grouped[link.coretask_id].append(link.action)
    return [{"task": task, "actions": grouped.get(task.pk, [])} for task in tasks]


def compare(old: dict, new: dict) -> dict:
    """Two snapshots side by side: sections by kind, actions by number, each marked changed or not."""
    old_sections = {s["kind"]: s for s in old.get("sections", [])}
    new_sections = {s["kind"]: s for s in new.get("sections", [])}
    sections = [
        {
            "title": (new_sections.get(kind) or old_sections[kind])["title"],
            "old": old_sections.get(kind, {}).get("text", ""),
            "new": new_sections.get(kind, {}).get("text", ""),
        }
        for kind in dict.fromkeys([*old_sections, *new_sections])
    ]
    for row in sections:
        row["changed"] = row["old"] != row["new"]
    old_actions = {a["number"]: a for a in old.get("actions", [])}
    new_actions = {a["number"]: a for a in new.get("actions", [])}
    fields = ["title", "lead", "start_date", "end_date", "cost", "funding_source", "status"]
    actions = []
    for number in sorted(set(old_actions) | set(new_actions)):
        before, after = old_actions.get(number), new_actions.get(number)
        changed = [name for name in fields if (before or {}).get(name) != (after or {}).get(name)]
        actions.append({"number": number, "old": before, "new": after, "changed": changed})
    return {"sections": sections, "actions": actions}


@dataclass(frozen=True)
class PlanStanding:
    """What one reader may know of a partner city's plan and Local Support Group, on the pages
    that list partners: a link only where the page answers this reader, never into a 404."""

    partnership: Partnership
    plan: LocalActionPlan | None
    readable: bool  # the plan page shows this reader a launched version or the working plan
    may_start: bool  # no plan yet, and this reader may start one
    group_members: int | None  # stakeholders in the group; None when the city has no group
    group_visible: bool
    progress: float | None = None  # the plan's rolled-up progress today, where it is readable

    @property
    def in_preparation(self) -> bool:
        return self.plan is not None and not self.readable


def plan_standings(partnerships, user) -> list[PlanStanding]:
    """The standing of each partnership's plan and group, in three queries whatever their number."""
    partnerships = list(partnerships)
    ids = [partnership.pk for partnership in partnerships]
    plans = {
        plan.partnership_id: plan
        for plan in LocalActionPlan.objects.filter(partnership_id__in=ids).annotate(
            launched_versions=Count("versions")
        )
    }
    groups = dict(
        LocalSupportGroup.objects.filter(partnership_id__in=ids)
        .annotate(members=Count("stakeholders"))
        .values_list("partnership_id", "members")
    )
    actions_by_plan: dict[int, list] = defaultdict(list)
    for action in Action.objects.filter(plan__in=list(plans.values())).only(
        "plan_id", "status", "progress", "cost"
    ):
        actions_by_plan[action.plan_id].append(action)
    standings = []
    for partnership in partnerships:
        plan = plans.get(partnership.pk)
        if plan is not None:
            plan.partnership = partnership
        readable = plan is not None and (
            plan.launched_versions > 0 or user.has_perm("actionplans.view_working_plan", plan)
        )
        standings.append(
            PlanStanding(
                partnership=partnership,
                plan=plan,
                readable=readable,
                may_start=plan is None and user.has_perm("actionplans.create_plan", partnership),
                group_members=groups.get(partnership.pk),
                group_visible=partnership.pk in groups
                and user.has_perm("localgroups.view_group", partnership),
                progress=rolled_up(actions_by_plan[plan.pk], plan.progress_weighting)
                if readable
                else None,
            )
        )
    return standings
