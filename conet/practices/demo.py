"""The practices demo: the 97 URBACT good practices, and CoNet's Guide to Social Cohesion.

Running it twice changes nothing: the import matches practices by source key, and the guide,
its chapters, approach texts and interviews are created only where missing. The approach texts
are written from DOMAIN.md and the CoNet project page; the three interviews are invented for
the demo and say so (`is_demo`).
"""

from datetime import date
from pathlib import Path

from django.db import transaction

from conet.networks.models import City, CoreTask, Network
from conet.practices import imports, services
from conet.practices.models import (
    ApproachText,
    GoodPractice,
    Guide,
    GuideChapter,
    Interview,
    InterviewAnswer,
    Status,
)

URBACT_CSV = Path(__file__).resolve().parent / "data" / "urbact_good_practices_2017.csv"

GUIDE_INTRODUCTION = """\
CoNet – the Cohesion Network – brought eleven European cities together from 2008 to 2011 to learn
about **integrated approaches to strengthen social cohesion in disadvantaged neighbourhoods** and to
put this knowledge into innovative local projects.

This guide gathers what the network learnt along **seven core tasks**. Each chapter opens with an
approach – what research and practice say about the task – followed by good practices from European
cities and the voices of practitioners and politicians who do the work every day.

The practices come from the URBACT Good Practice database; the interviews in this demo are invented
and marked as such.
"""

# number → (title, text): the approach text of each core task.
APPROACHES = {
    1: (
        "Participation is a right, not a reward",
        """\
Residents of disadvantaged neighbourhoods are experts in their own living conditions, yet they are
the least likely to be heard by city administrations. Participation therefore has to be *organised*:
it needs low thresholds, places in the neighbourhood, and a visible link between what people say and
what the city does.

- Start early: involve residents in the analysis of problems, not only in the choice between ready plans.
- Offer several ways in: meetings, walks, workshops such as Robert Jungk's **Future Workshop**, and
  short formats for people who cannot come.
- Give real decisions and real money: neighbourhood funds and participatory budgets build trust.
- Report back: what happened to each proposal, and why.

CoNet's Local Support Groups worked in this spirit: the people affected by a Local Action Plan helped
to write it, validated it with local knowledge and mobilised others.""",
    ),
    2: (
        "Nobody left out",
        """\
Social cohesion is tested at the margins: migrants, Roma families, older people living alone,
young people without work, residents who do not speak the majority language. Including everyone
means seeking out the "missing voices" actively instead of waiting for them.

- Map who is absent from meetings and why (time, language, trust, fear of authorities).
- Work with trusted intermediaries – community mediators, religious and cultural associations.
- Counter rumours and stereotypes with facts and encounters.
- Make services accessible in language, place and opening hours.

Inclusion is not a separate programme; it is a quality check on every action of a Local Action Plan.""",
    ),
    3: (
        "Networks carry the neighbourhood",
        """\
Neighbourhoods with strong local networks – associations, schools, churches and mosques, local
businesses, tenant groups, social services – cope better with crises and make better use of public
programmes. The task of the city is to *connect* and *strengthen* these actors, not to replace them.

- Bring actors together around concrete tasks rather than abstract coordination rounds.
- Give civic organisations a home: shared offices, NGO houses, meeting rooms.
- Recognise volunteers and intergenerational help.
- Use the stakeholder map of the Local Support Group to see gaps and blockers.

A network outlives a funding period: that is its main value for lasting change.""",
    ),
    4: (
        "Social infrastructure that people want to use",
        """\
Schools, youth centres, libraries, health posts, sports grounds and community centres are the
backbone of a neighbourhood. In disadvantaged areas they are often run down, closed at the wrong
hours or designed without their users. Attractive social infrastructure is open, multi-purpose,
well-kept and shaped together with the people who use it.

- Reuse empty and abandoned buildings for community purposes.
- Combine services under one roof and open school buildings after hours.
- Invest in quality: good design signals respect.
- Plan running costs and management from the start, not only the building.

CoNet also learnt the limits of this task: in Palermo's Ballarò, the Local Support Group concluded
that multi-goal service centres alone would not overcome structural deficiencies.""",
    ),
    5: (
        "Every child counts",
        """\
Children and young people in disadvantaged neighbourhoods face poorer schools, fewer places to play
and weaker links to the labour market. Fostering them is the most lasting investment a city can make
in social cohesion.

- Education from early childhood on, with parents as partners.
- Music, arts and sport as ways to learn, belong and be seen.
- Children's and youth councils that have a real say in the neighbourhood.
- Bridges from school to training and work.

In Alba Iulia's Roma neighbourhood Lumea Nouă, CoNet's Future Workshop put education first: the
residents themselves named it as the key to their children's future.""",
    ),
    6: (
        "Open neighbourhoods, open city",
        """\
Segregation – the concentration of poverty, of one ethnic group, of people excluded from the
housing market – reinforces disadvantage: fewer role models, stigmatised addresses, schools that
mirror the neighbourhood. Reducing segregation works on housing, on schools and on perceptions.

- Prevent evictions and help people stay in decent homes.
- Mix housing types and tenures in renewal programmes, without displacing residents.
- Open up schools and services to the whole city, and bring the city into the neighbourhood.
- Fight discrimination in housing and employment.

Segregation is a product of the whole city's housing market: the answer cannot be local alone.""",
    ),
    7: (
        "Part of the whole city",
        """\
Disadvantaged neighbourhoods cannot be repaired in isolation. They need to be part of the city's
strategy – in transport, economy, housing and services – and their development needs the
cooperation of all departments, not only of social affairs.

- Use small-area monitoring (such as Berlin's Monitoring Soziale Stadtentwicklung) to target
  resources and measure change.
- Integrate sectoral policies in one Local Action Plan, with a results framework.
- Govern across departments and levels; give neighbourhood management a mandate.
- Link the neighbourhood to the city's growth: jobs, transport and image.

This is what Palermo's Local Support Group asked for in Ballarò: governance and integrated planning.""",
    ),
}

# number → source keys of the URBACT practices the chapter shows.
CHAPTER_PRACTICES = {
    1: ["25", "74", "5", "63", "94"],
    2: ["20", "84", "33", "68", "21"],
    3: ["71", "60", "88", "9", "59"],
    4: ["1", "52", "42", "18", "22"],
    5: ["35", "7", "38", "49", "44"],
    6: ["8", "3", "77", "31", "41"],
    7: ["76", "24", "6", "89", "29"],
}

# (person, role, city slug, date, introduction, [(question, answer, chapter numbers)])
INTERVIEWS = [
    (
        "Sabine Krüger (demo)",
        "Neighbourhood manager",
        "berlin",
        date(2010, 3, 15),
        "An invented conversation about neighbourhood management in Berlin, written for the demo.",
        [
            (
                "How do you reach residents who never come to meetings?",
                "We go where they are: the school gate, the mosque, the tenants' courtyard. A meeting is "
                "the last step, not the first. And we always report back on what happened to their ideas.",
                [1, 2],
            ),
            (
                "What does the neighbourhood fund change?",
                "Residents decide on small grants themselves. It is not much money, but it is real money, "
                "and that changes how people see the administration.",
                [1, 3],
            ),
        ],
    ),
    (
        "Giovanni Russo (demo)",
        "Councillor for urban planning",
        "palermo",
        date(2010, 11, 4),
        "An invented conversation about Ballarò and integrated planning, written for the demo.",
        [
            (
                "Why did the Local Support Group not ask for a new service centre in Ballarò?",
                "Because another building would not solve the problem. Ballarò needs the departments of the "
                "city to work together – housing, schools, the market, public space – under one plan.",
                [4, 7],
            ),
            (
                "What did Palermo learn from the other CoNet cities?",
                "From Berlin, how to watch a neighbourhood with numbers over the years; from Gijón, how to "
                "bring services close to the citizen.",
                [7],
            ),
        ],
    ),
    (
        "Elena Popescu (demo)",
        "Social worker in Lumea Nouă",
        "alba-iulia",
        date(2010, 5, 28),
        "An invented conversation after the Future Workshop in Alba Iulia, written for the demo.",
        [
            (
                "What did the Future Workshop bring to Lumea Nouă?",
                "For the first time, parents wrote down what they want for their children. Almost every "
                "card was about school.",
                [5, 1],
            ),
            (
                "How can the neighbourhood become less isolated?",
                "A safe way to school in the city centre, and teachers who come to us. Our children "
                "should meet the other children of Alba Iulia.",
                [6, 5],
            ),
        ],
    ),
]


def import_urbact_practices() -> services.ImportReport:
    columns, records = imports.read_records(URBACT_CSV)
    mapping, prefix = imports.choose_mapping(columns, None)
    rows, problems = imports.parse_records(records, mapping, key_prefix=prefix)
    if problems:  # the shipped file is checked by the tests; this would be a broken checkout
        raise ValueError("; ".join(str(problem) for problem in problems[:5]))
    return services.import_practices(rows)


@transaction.atomic
def load_conet_guide() -> dict:
    """CoNet's Guide to Social Cohesion, with approach texts, chosen practices and interviews."""
    created = {"guide": False, "approaches": 0, "interviews": 0}
    network = Network.objects.filter(slug="conet").first()
    if network is None:
        return created
    tasks = {task.number: task for task in CoreTask.objects.filter(network=network)}
    for number, (title, text) in APPROACHES.items():
        if number in tasks:
            _approach, was_created = ApproachText.objects.get_or_create(
                core_task=tasks[number], defaults={"title": title, "text": text, "language": "en"}
            )
            created["approaches"] += was_created
    answers_for: dict[int, list[InterviewAnswer]] = {}
    cities = {city.slug: city for city in City.objects.filter(slug__in=[i[2] for i in INTERVIEWS])}
    for person, role, city_slug, day, introduction, answers in INTERVIEWS:
        city = cities.get(city_slug)
        interview, was_created = Interview.objects.get_or_create(
            network=network,
            person_name=person,
            defaults={
                "person_role": role,
                "city": city,
                "city_name": city.name if city else "",
                "interviewed_on": day,
                "introduction": introduction,
                "consent_to_publish": True,
                "status": Status.PUBLISHED,
                "is_demo": True,
            },
        )
        created["interviews"] += was_created
        for position, (question, answer, chapters) in enumerate(answers, start=1):
            row, _was_created = InterviewAnswer.objects.get_or_create(
                interview=interview,
                position=position,
                defaults={"question": question, "answer": answer},
            )
            for number in chapters:
                answers_for.setdefault(number, []).append(row)
    guide, was_created = Guide.objects.get_or_create(
        network=network,
        slug="guide-to-social-cohesion",
        defaults={
            "title": "CoNet's Guide to Social Cohesion",
            "introduction": GUIDE_INTRODUCTION,
            "language": "en",
            "status": Status.PUBLISHED,
        },
    )
    created["guide"] = was_created
    if was_created:
        practices = {
            p.source_key: p
            for p in GoodPractice.objects.filter(source_key__startswith=imports.URBACT_KEY_PREFIX)
        }
        for number, task in sorted(tasks.items()):
            chapter = GuideChapter.objects.create(guide=guide, core_task=task)
            chosen = [
                practices[imports.URBACT_KEY_PREFIX + key]
                for key in CHAPTER_PRACTICES.get(number, [])
                if imports.URBACT_KEY_PREFIX + key in practices
            ]
            chapter.practices.set(chosen)
            for practice in chosen:  # the guide's choice tags the practice with the core task
                practice.core_tasks.add(task)
            chapter.excerpts.set(answers_for.get(number, []))
    return created


def load_practices_demo() -> dict:
    report = import_urbact_practices()
    guide = load_conet_guide()
    return {"practices": report, **guide}


def describe(report: dict) -> list[str]:
    return [
        f"Good practices (URBACT 2017): {report['practices']}",
        f"CoNet's guide: {'created' if report['guide'] else 'kept'}, "
        f"{report['approaches']} approach texts and {report['interviews']} interviews added",
    ]
