"""API for good practices, interviews and guides.

Reading is open (published things; a token shows the caller's drafts too); writing needs a token
or a session and the same right as the page (see rules.py). Errors name the field (422).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from conet.api.auth import WRITE_AUTH, reader
from conet.api.pagination import BoundedLimitOffsetPagination
from conet.core.permissions import require
from conet.networks.models import City, CoreTask
from conet.practices import selectors, services
from conet.practices.models import GoodPractice, Interview, InterviewAnswer, Status

router = Router(tags=["practices"])


class PracticeOut(Schema):
    id: int
    slug: str
    source_key: str
    name: str
    city_name: str
    population: int | None
    country: str
    country_code: str
    description: str
    start_year: int | None
    end_year: int | None
    ongoing: bool
    end_note: str
    budget: int | None
    keywords: list[str]
    summary: str
    solution: str
    integrated_approach: str
    participation: str
    outcomes: str
    transferability: str
    location: str
    latitude: Decimal | None
    longitude: Decimal | None
    language: str
    status: str
    network: str | None
    core_tasks: list[int]
    version: int

    @staticmethod
    def resolve_network(obj) -> str | None:
        return obj.network.slug if obj.network_id else None

    @staticmethod
    def resolve_core_tasks(obj) -> list[int]:
        return sorted(task.number for task in obj.core_tasks.all())


class PracticeIn(Schema):
    name: str
    description: str
    city: str | None = None  # slug of a partner city
    city_name: str = ""
    country: str = ""
    country_code: str = ""
    population: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    ongoing: bool = False
    budget: int | None = None
    keywords: list[str] = []
    summary: str = ""
    solution: str = ""
    integrated_approach: str = ""
    participation: str = ""
    outcomes: str = ""
    transferability: str = ""
    language: str = "en"
    core_tasks: list[int] = []


class PracticePatch(Schema):
    version: int
    name: str | None = None
    description: str | None = None
    summary: str | None = None
    solution: str | None = None
    integrated_approach: str | None = None
    participation: str | None = None
    outcomes: str | None = None
    transferability: str | None = None
    budget: int | None = None
    keywords: list[str] | None = None
    status: str | None = None


class AnswerOut(Schema):
    question: str
    answer: str


class InterviewOut(Schema):
    id: int
    person_name: str
    person_role: str
    city_name: str
    interviewed_on: date
    introduction: str
    language: str
    consent_to_publish: bool
    status: str
    is_demo: bool
    answers: list[AnswerOut]


class InterviewIn(Schema):
    person_name: str
    person_role: str
    city_name: str = ""
    interviewed_on: date
    introduction: str = ""
    language: str = "en"
    consent_to_publish: bool = False
    answers: list[AnswerOut] = []


class ChapterOut(Schema):
    number: int
    title: str
    url: str
    approach_title: str
    approach_text: str
    introduction: str
    practices: list[str]  # slugs
    excerpts: list[AnswerOut]


class GuideOut(Schema):
    slug: str
    title: str
    introduction: str
    language: str
    status: str
    version: int
    url: str
    pdf_url: str
    chapters: list[ChapterOut]


def _practice(request, slug: str) -> GoodPractice:
    practice = selectors.practice_detail(slug)
    if not request.user.has_perm("practices.view_practice", practice):
        raise Http404("no such practice")
    return practice


@router.get("/practices", response=list[PracticeOut], auth=reader)
@paginate(BoundedLimitOffsetPagination)
def list_practices(
    request, core_task: str = "", country: str = "", size: str = "", network: str = "", q: str = ""
):
    filters = selectors.PracticeFilters.from_query(
        {"core_task": core_task, "country": country, "size": size, "network": network, "q": q}
    )
    return (
        selectors.filtered_practices(request.user, filters)
        .select_related("network")
        .prefetch_related("core_tasks")
    )


@router.get("/practices/{slug}", response=PracticeOut, auth=reader)
def get_practice(request, slug: str):
    return _practice(request, slug)


@router.post("/networks/{slug}/practices", response={201: PracticeOut}, auth=WRITE_AUTH)
def propose_practice(request, slug: str, payload: PracticeIn):
    network = selectors.network_by_slug(slug)
    require(request, "practices.propose_practice", network)
    data = payload.dict()
    city_slug = data.pop("city")
    city = get_object_or_404(City, slug=city_slug) if city_slug else None
    numbers = data.pop("core_tasks")
    tasks = CoreTask.objects.filter(network=network, number__in=numbers)
    practice = services.propose_practice(
        request.user, network, city=city, values=data, core_tasks=tasks
    )
    return 201, practice


@router.patch("/practices/{slug}", response=PracticeOut, auth=WRITE_AUTH)
def patch_practice(request, slug: str, payload: PracticePatch):
    practice = _practice(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    status = data.pop("status", None)
    with transaction.atomic():  # a refused status leaves the other fields unchanged too
        practice = _patch(request, practice, version, data, status)
    return selectors.practice_detail(practice.slug)


def _patch(request, practice, version: int, data: dict, status: str | None) -> GoodPractice:
    if data:
        practice = services.update_practice(
            request.user, practice, expected_version=version, changes=data
        )
    if status is not None:
        practice = services.set_practice_status(request.user, practice, status)
    return practice


@router.get("/networks/{slug}/interviews", response=list[InterviewOut], auth=reader)
def list_interviews(request, slug: str):
    return selectors.interviews_of(request.user, selectors.network_by_slug(slug))


@router.get("/networks/{slug}/interviews/{pk}", response=InterviewOut, auth=reader)
def get_interview(request, slug: str, pk: int):
    interview = get_object_or_404(Interview, pk=pk, network__slug=slug)
    if not request.user.has_perm("practices.view_interview", interview):
        raise Http404("no such interview")
    return interview


@router.post("/networks/{slug}/interviews", response={201: InterviewOut}, auth=WRITE_AUTH)
def create_interview(request, slug: str, payload: InterviewIn):
    network = selectors.network_by_slug(slug)
    data = payload.dict()
    answers = [(a["question"], a["answer"]) for a in data.pop("answers")]
    interview = services.create_interview(request.user, network, values=data, answers=answers)
    return 201, interview


def _guide_out(guide) -> dict:
    chapters = selectors.guide_contents(guide)
    return {
        "slug": guide.slug,
        "title": guide.title,
        "introduction": guide.introduction,
        "language": guide.language,
        "status": guide.status,
        "version": guide.version,
        "url": guide.get_absolute_url(),
        "pdf_url": guide.get_absolute_url() + "guide.pdf",
        "chapters": [
            {
                "number": chapter.core_task.number,
                "title": chapter.core_task.name,
                "url": chapter.get_absolute_url(),
                "approach_title": chapter.approach_text.title if chapter.approach_text else "",
                "approach_text": chapter.approach_text.text if chapter.approach_text else "",
                "introduction": chapter.introduction,
                "practices": [practice.slug for practice in chapter.practices.all()],
                "excerpts": chapter.excerpts.all(),
            }
            for chapter in chapters
        ],
    }


@router.get("/networks/{slug}/guides", response=list[GuideOut], auth=reader)
def list_guides(request, slug: str):
    return [
        _guide_out(g) for g in selectors.guides_of(request.user, selectors.network_by_slug(slug))
    ]


@router.get("/networks/{slug}/guides/{guide_slug}", response=GuideOut, auth=reader)
def get_guide(request, slug: str, guide_slug: str):
    guide = selectors.guide_by_slug(slug, guide_slug)
    if not request.user.has_perm("practices.view_guide", guide):
        raise Http404("no such guide")
    return _guide_out(guide)


class ChapterIn(Schema):
    version: int  # the guide's version the editor started from
    introduction: str = ""
    practices: list[str] = []  # slugs of published practices
    excerpts: list[int] = []  # ids of interview answers


class ApproachIn(Schema):
    title: str
    text: str
    language: str = "en"
    version: int | None = None  # required once the core task has a text: the version read


class ApproachOut(Schema):
    core_task: int
    title: str
    text: str
    language: str
    version: int


class StatusIn(Schema):
    status: str


@router.put(
    "/networks/{slug}/guides/{guide_slug}/chapters/{number}", response=GuideOut, auth=WRITE_AUTH
)
def put_chapter(request, slug: str, guide_slug: str, number: int, payload: ChapterIn):
    guide = selectors.guide_by_slug(slug, guide_slug)
    require(request, "practices.manage_guide", guide)
    chapter = selectors.chapter_of(selectors.guide_contents(guide, published_only=False), number)
    practices = list(GoodPractice.objects.filter(slug__in=payload.practices))
    unknown = set(payload.practices) - {practice.slug for practice in practices}
    if unknown:
        raise ValidationError({"practices": f"unknown practices: {', '.join(sorted(unknown))}"})
    excerpts = list(
        InterviewAnswer.objects.filter(pk__in=payload.excerpts).select_related("interview")
    )
    if len(excerpts) != len(set(payload.excerpts)):
        raise ValidationError({"excerpts": "unknown interview answers"})
    services.update_chapter(
        request.user,
        chapter,
        expected_version=payload.version,
        introduction=payload.introduction,
        practices=practices,
        excerpts=excerpts,
    )
    guide.refresh_from_db()
    return _guide_out(guide)


@router.post("/networks/{slug}/guides/{guide_slug}/status", response=GuideOut, auth=WRITE_AUTH)
def post_guide_status(request, slug: str, guide_slug: str, payload: StatusIn):
    guide = selectors.guide_by_slug(slug, guide_slug)
    require(request, "practices.publish_guide", guide)
    if payload.status not in Status.values:
        raise ValidationError({"status": "draft or published"})
    return _guide_out(services.set_guide_status(request.user, guide, payload.status))


@router.put("/networks/{slug}/approaches/{number}", response=ApproachOut, auth=WRITE_AUTH)
def put_approach(request, slug: str, number: int, payload: ApproachIn):
    network = selectors.network_by_slug(slug)
    require(request, "practices.manage_guide", network)
    core_task = get_object_or_404(CoreTask, network=network, number=number)
    approach = services.save_approach_text(
        request.user,
        core_task,
        title=payload.title,
        text=payload.text,
        language=payload.language,
        expected_version=payload.version,
    )
    return {
        "core_task": number,
        "title": approach.title,
        "text": approach.text,
        "language": approach.language,
        "version": approach.version,
    }
