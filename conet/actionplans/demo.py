"""The action-plan demo: Palermo's approved plan for Ballarò and Alba Iulia's draft for Lumea Nouă.

Built through the services, by the demo people who would do it (the city coordinators write, the
lead expert and a peer city review), so the demo walks the same workflow as real use.
`load_actionplans_demo()` creates what is missing and changes nothing on a second run.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from conet.accounts.models import User
from conet.actionplans import services
from conet.actionplans.models import LocalActionPlan, PeerReview, PlanComment, PlanVersion
from conet.core.demo import happened_on
from conet.localgroups import services as group_services
from conet.networks.models import Partnership

BALLARO_SECTIONS = {
    "context": (
        "Palermo, 630,000 inhabitants, capital of Sicily. The historic centre has lost half of its "
        "population since the 1950s; Ballarò, one of its four quarters, keeps its market, its "
        "churches and a mixed population of long-time residents and newcomers from Africa and Asia."
    ),
    "focus_area": (
        "Ballarò: narrow streets around the market, many abandoned or unsafe buildings, few public "
        "spaces. Multi-goal services (neighbourhood centres, decentralised health, social, sports "
        "and cultural services) would not overcome the area's structural deficiencies."
    ),
    "evidence": (
        "Baseline study of the network; the city's statistics on population, housing and schools; "
        "interviews with the parish, the market traders and the associations; the Ballarò "
        "consultation on CoNet (30 statements, 300 participants)."
    ),
    "stakeholders": (
        "The city's departments for planning, social services and schools; the parish and the "
        "oratory; the market traders; migrant associations (a missing voice until 2010); the "
        "university as knowledge partner; absentee owners of empty buildings (blockers)."
    ),
    "resources": "ERDF and ESF through the regional operational programme, and the city budget.",
    "governance": (
        "A permanent neighbourhood table chaired by the deputy mayor for urban planning, meeting "
        "every two months; the Local Support Group follows the actions and reports to the network."
    ),
}

BALLARO_STAKEHOLDERS = [
    ("Parrocchia di Ballarò and its oratory", "civic", "primary", 3, 5),
    ("Market traders of Ballarò", "private", "primary", 3, 4),
    ("Migrant associations of the historic centre", "civic", "missing_voice", 1, 5),
    ("University of Palermo, Department of Architecture", "knowledge", "secondary", 3, 3),
    ("City department for urban planning", "public", "primary", 5, 4),
    ("Owners of empty buildings", "private", "blocker", 4, 1),
]

BALLARO_TREE = {
    "core": (
        "Fragmented, uncoordinated interventions leave Ballarò's structural deficiencies unresolved",
        "One integrated strategy for Ballarò, carried by all departments and the neighbourhood",
    ),
    "causes": [
        ("Departments plan their services separately, without a shared strategy",
         "Departments plan together at one neighbourhood table"),
        ("Residents and associations have no stable say in decisions",
         "Residents and associations take part in every decision on the neighbourhood"),
        ("Abandoned buildings and poor public spaces",
         "Buildings and public spaces brought back into use"),
    ],
    "effects": [
        ("Families and young people leave the historic centre", "Families stay and move in"),
        ("Low trust in institutions", "Residents trust the city to keep its word"),
        ("Early school leaving and informal work", "Children finish school"),
    ],
}  # fmt: skip

BALLARO_ACTIONS = [
    ("Ballarò neighbourhood table", "Deputy mayor for urban planning", [0, 1, 2, 4],
     date(2010, 1, 15), date(2011, 6, 30), "8000", "City", [1], [1, 3]),
    ("Integrated plan for the historic centre", "City department for urban planning", [3, 4],
     date(2010, 3, 1), date(2011, 3, 31), "45000", "ERDF", [1], [7]),
    ("Temporary uses for empty buildings", "City department for urban planning", [3, 5],
     date(2010, 6, 1), date(2011, 9, 30), "120000", "ERDF", [2], [4]),
    ("Light and safe routes to school", "City department for public works", [0, 1],
     date(2010, 9, 1), date(2011, 5, 31), "60000", "City", [2, 3], [4, 5]),
    ("After-school club in the oratory", "Parrocchia di Ballarò and its oratory", [0, 2],
     date(2010, 10, 1), date(2011, 6, 30), "25000", "ESF", [3], [5, 2]),
]  # fmt: skip

LUMEA_SECTIONS = {
    "context": "Alba Iulia, 64,000 inhabitants, in Transylvania.",
    "focus_area": (
        "Lumea Nouă, a Roma neighbourhood of about 1,900 inhabitants at the edge of the city. "
        "The work focuses on education; the local group also raised citizen safety."
    ),
    "evidence": "School attendance records; a door-to-door survey by the Roma mediators (2009).",
}

LUMEA_TREE = {
    "core": ("Children of Lumea Nouă leave school early", "Children of Lumea Nouă finish school"),
    "causes": [
        ("The school is far and there is no transport", "A safe way to school every day"),
        ("Little contact between the school and the families", "Families and teachers meet"),
    ],
    "effects": [
        ("Young adults find no formal work", ""),
        ("Residents feel unsafe at night", "Residents feel safe in their streets"),
    ],
}

LUMEA_ACTIONS = [
    ("School bus with a Roma mediator", "City social services", date(2010, 9, 1),
     date(2011, 6, 30), "30000", "City", [5, 2]),
    ("Evening lighting and a community safety walk", "Local police", date(2010, 11, 1),
     date(2011, 3, 31), "15000", "City", [4]),
]  # fmt: skip


def _tree(plan, spec, by) -> dict:
    core_statement, core_objective = spec["core"]
    core = services.add_problem_node(
        plan, by=by, kind="core", statement=core_statement, objective=core_objective
    )
    nodes = {"core": core}
    for kind in ("causes", "effects"):
        for index, (statement, objective) in enumerate(spec[kind]):
            nodes[f"{kind}{index}"] = services.add_problem_node(
                plan, by=by, kind=kind[:-1], parent=core, statement=statement, objective=objective
            )
    return nodes


def _sections(plan, texts: dict, by) -> None:
    for section in plan.sections.all():
        if section.kind in texts:
            services.update_section(
                section, by=by, expected_version=section.version, text=texts[section.kind]
            )


def _ballaro(partnership, coordinator, lead_expert, peer) -> None:
    with happened_on(date(2009, 10, 15)) as started:
        plan = services.create_plan(
            partnership, by=coordinator, title="Ballarò: governance and integrated planning"
        )
        plan = services.update_plan(
            plan, by=coordinator, expected_version=plan.version,
            changes={"progress_weighting": "cost", "members_may_edit": True},
        )  # fmt: skip
        _sections(plan, BALLARO_SECTIONS, coordinator)
    LocalActionPlan.objects.filter(pk=plan.pk).update(created_at=started)
    with happened_on(date(2009, 11, 10)):
        group = group_services.group_of(partnership)
        stakeholders = [
            group_services.add_stakeholder(
                group,
                by=coordinator,
                name=name,
                sector=sector,
                kind=kind,
                power=power,
                interest=interest,
                is_member=True,
            )
            for name, sector, kind, power, interest in BALLARO_STAKEHOLDERS
        ]
    with happened_on(date(2010, 1, 20)):
        _ballaro_contents(plan, partnership, coordinator, stakeholders)
    with happened_on(date(2010, 6, 7)) as consulted:
        plan = services.transition(plan, "open_consultation", by=coordinator)
        services.comment(
            plan, by=coordinator, section="stakeholders",
            text="The migrant associations joined the group in March; please check the list.",
        )  # fmt: skip
    PlanComment.objects.filter(plan=plan).update(created_at=consulted)
    with happened_on(date(2010, 9, 30)):
        plan = services.transition(plan, "submit", by=coordinator)
    with happened_on(date(2010, 10, 20)) as reviewed:
        services.review(
            plan, by=lead_expert, coherence=4, feasibility=3, integrated_approach=5,
            feasibility_comment="The building reuse needs the owners on board: name who will talk to them.",
            integrated_approach_comment="Planning, schools and social services in one strategy.",
        )  # fmt: skip
        if peer is not None:
            services.review(
                plan, by=peer, coherence=4, feasibility=4, integrated_approach=4,
                coherence_comment="Each cause has an action; the effects need indicators too.",
            )  # fmt: skip
    PeerReview.objects.filter(plan=plan).update(created_at=reviewed)
    with happened_on(date(2010, 11, 5)):
        plan = services.transition(plan, "close_review", by=lead_expert)
    with happened_on(date(2011, 2, 15)) as launched:
        plan = services.transition(plan, "approve", by=coordinator)
    PlanVersion.objects.filter(plan=plan).update(launched_at=launched)
    with happened_on(date(2011, 9, 30)):
        plan = services.transition(plan, "start_implementation", by=coordinator)
        _report_progress(plan, coordinator)


# How far each of Ballarò's actions had come in autumn 2011 (number → progress, status): what the
# plan's public page shows as "Where the plan stands today".
BALLARO_PROGRESS = {
    1: (100, "done"),
    2: (60, "running"),
    3: (35, "delayed"),
    4: (50, "running"),
    5: (80, "running"),
}


def _report_progress(plan, coordinator) -> None:
    for action in plan.actions.order_by("number"):
        progress, status = BALLARO_PROGRESS.get(action.number, (0, "planned"))
        services.update_progress(
            action,
            by=coordinator,
            expected_version=action.version,
            progress=progress,
            status=status,
        )


def _ballaro_contents(plan, partnership, coordinator, stakeholders) -> None:
    """The problem tree, the objectives with their indicators, and the actions."""
    nodes = _tree(plan, BALLARO_TREE, coordinator)
    objectives = [
        services.add_objective(
            plan, by=coordinator, title=nodes[key].objective, problem_node=nodes[key]
        )
        for key in ("causes0", "causes2", "effects2")
    ]
    services.add_indicator(
        objectives[0], by=coordinator, kind="output", definition="Meetings of the neighbourhood table",
        unit="meetings per year", baseline=Decimal(0), target=Decimal(6), source="Minutes",
        frequency="yearly",
    )  # fmt: skip
    services.add_indicator(
        objectives[1], by=coordinator, kind="result", definition="Empty buildings back in use",
        unit="buildings", baseline=Decimal(0), target=Decimal(5), source="City planning register",
        frequency="yearly",
    )  # fmt: skip
    services.add_indicator(
        objectives[2], by=coordinator, kind="result", definition="Pupils leaving school early",
        unit="% of pupils aged 11–16", baseline=Decimal(24), target=Decimal(15),
        source="School records", frequency="each school year",
    )  # fmt: skip
    tasks = {task.number: task for task in partnership.network.core_tasks.all()}
    for (
        title,
        lead,
        partners,
        start,
        end,
        cost,
        source,
        objective_numbers,
        task_numbers,
    ) in BALLARO_ACTIONS:
        services.add_action(
            plan, by=coordinator, title=title, lead=lead,
            partners=[stakeholders[i] for i in partners], start_date=start, end_date=end,
            cost=Decimal(cost), funding_source=source,
            objectives=[objectives[n - 1] for n in objective_numbers],
            core_tasks=[tasks[n] for n in task_numbers if n in tasks],
            risks="Depends on the regional programme's calls.",
        )  # fmt: skip


def _lumea(partnership, coordinator) -> None:
    # After the Future Workshop of May 2010, which gave the plan its proposals.
    with happened_on(date(2010, 6, 14)) as started:
        plan = services.create_plan(
            partnership, by=coordinator, title="Lumea Nouă: school and safety"
        )
        _sections(plan, LUMEA_SECTIONS, coordinator)
        nodes = _tree(plan, LUMEA_TREE, coordinator)
        objective = services.add_objective(
            plan, by=coordinator, title=nodes["core"].objective, problem_node=nodes["core"]
        )
        tasks = {task.number: task for task in partnership.network.core_tasks.all()}
        for title, lead, start, end, cost, source, task_numbers in LUMEA_ACTIONS:
            services.add_action(
                plan, by=coordinator, title=title, lead=lead, start_date=start, end_date=end,
                cost=Decimal(cost), funding_source=source, objectives=[objective],
                core_tasks=[tasks[n] for n in task_numbers if n in tasks],
            )  # fmt: skip
    LocalActionPlan.objects.filter(pk=plan.pk).update(created_at=started)
    with happened_on(date(2010, 9, 1)):
        services.transition(plan, "open_consultation", by=coordinator)


@transaction.atomic
def load_actionplans_demo() -> bool:
    """Create the two plans if they are missing; True when anything was created."""
    partnerships = {
        p.city.slug: p
        for p in Partnership.objects.filter(
            network__slug="conet", city__slug__in=["palermo", "alba-iulia"]
        ).select_related("network", "city")
    }
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in=["palermo@conet.example", "albaiulia@conet.example", "weeber@conet.example"]
        )
    }
    palermo, alba = users.get("palermo@conet.example"), users.get("albaiulia@conet.example")
    lead = users.get("weeber@conet.example")
    created = False
    ballaro = partnerships.get("palermo")
    if (
        ballaro
        and palermo
        and lead
        and not LocalActionPlan.objects.filter(partnership=ballaro).exists()
    ):
        _ballaro(ballaro, palermo, lead, alba)
        created = True
    lumea = partnerships.get("alba-iulia")
    if lumea and alba and not LocalActionPlan.objects.filter(partnership=lumea).exists():
        _lumea(lumea, alba)
        created = True
    return created
