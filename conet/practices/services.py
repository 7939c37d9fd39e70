"""Every write to practices, interviews, approach texts and guides: one function per use case.

Each runs in one transaction and writes to the activity feed in it, so a refused or rolled-back
change leaves no trace. Versioned rows are changed with `update_versioned`, so two people editing
the same practice cannot overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.core.activity import record_activity
from conet.core.concurrency import EditConflict, update_versioned
from conet.core.permissions import require
from conet.networks.models import City, CoreTask, Network
from conet.practices.imports import ParsedRow
from conet.practices.models import (
    ApproachText,
    Attachment,
    GoodPractice,
    Guide,
    GuideChapter,
    Interview,
    InterviewAnswer,
    LabelAssessment,
    Status,
)
from conet.practices.uploads import check_upload

__all__ = ["EditConflict"]


def _unique_slug(model, base: str, *, exclude_pk=None, **scope) -> str:
    base = slugify(base)[:100] or "practice"
    slug, counter = base, 2
    rows = model.objects.filter(**scope)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


# --- import ----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.changed} changed, {self.unchanged} unchanged"


def import_practices(
    rows: list[ParsedRow],
    *,
    network: Network | None = None,
    status: str = Status.PUBLISHED,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store checked rows, matched to existing practices by source key; all or nothing.

    A row that matches a practice and holds the same values changes nothing, so importing the same
    file twice reports "0 created, 0 changed". Network and status are set on new practices only,
    unless the file itself has a status column.
    """
    report = ImportReport()
    tasks_by_number = {}
    if network is not None:
        tasks_by_number = {task.number: task for task in CoreTask.objects.filter(network=network)}
    with transaction.atomic():
        existing = {
            practice.source_key: practice
            for practice in GoodPractice.objects.filter(
                source_key__in=[row.values["source_key"] for row in rows]
            ).prefetch_related("core_tasks")
        }
        taken_slugs = set(GoodPractice.objects.values_list("slug", flat=True))
        for index, row in enumerate(rows, start=1):
            values = dict(row.values)
            practice = existing.get(values["source_key"])
            tasks = None
            if row.core_task_numbers is not None:
                unknown = [n for n in row.core_task_numbers if n not in tasks_by_number]
                if unknown:
                    raise ValidationError(
                        {"core_tasks": f"row {row.row}: no core task {unknown} in the network"}
                    )
                tasks = [tasks_by_number[n] for n in row.core_task_numbers]
            if practice is None:
                slug = values.pop("slug", "") or slugify(values["name"])[:100] or "practice"
                base, counter = slug, 2
                while slug in taken_slugs:
                    slug, counter = f"{base}-{counter}", counter + 1
                taken_slugs.add(slug)
                values.setdefault("status", status)
                practice = GoodPractice(slug=slug, network=network, **values)
                practice.full_clean(exclude=["slug"])
                practice.save()
                if tasks:
                    practice.core_tasks.set(tasks)
                report.created += 1
            else:
                values.pop("slug", None)
                changes = {
                    name: value
                    for name, value in values.items()
                    if getattr(practice, name) != value
                }
                tasks_changed = tasks is not None and {t.pk for t in tasks} != {
                    t.pk for t in practice.core_tasks.all()
                }
                if changes:
                    for name, value in changes.items():
                        setattr(practice, name, value)
                    practice.full_clean(exclude=["slug"])
                    practice.version += 1
                    # save(), not update(): search listens to saves and reindexes the practice
                    practice.save(update_fields=[*changes, "version", "updated_at"])
                if tasks_changed:
                    practice.core_tasks.set(tasks)
                if changes or tasks_changed:
                    report.changed += 1
                else:
                    report.unchanged += 1
            if progress:
                progress(index)
    return report


# --- practices -------------------------------------------------------------------------------

PRACTICE_EDIT_FIELDS = [
    "name", "city_name", "population", "country", "country_code", "description", "start_year",
    "end_year", "ongoing", "end_note", "budget", "keywords", "summary", "solution",
    "integrated_approach", "participation", "outcomes", "transferability", "location",
    "latitude", "longitude", "language",
]  # fmt: skip


def propose_practice(
    actor, network: Network, *, city: City | None, values: dict, core_tasks=()
) -> GoodPractice:
    """A new draft practice of the network; a city coordinator may propose only their own city's."""
    require(actor, "practices.propose_practice", network)
    if not actor.has_perm("practices.publish_practice", network) and (
        city is None or not roles_of(actor).in_city(city.pk, Role.CITY_COORDINATOR)
    ):
        raise ValidationError({"city": _("You may propose practices of your own city only.")})
    values = {name: value for name, value in values.items() if name in PRACTICE_EDIT_FIELDS}
    if city is not None:
        defaults = {
            "city_name": city.name,
            "country": str(city.get_country_display()),
            "country_code": city.country,
            "population": city.population,
        }
        values.update({name: value for name, value in defaults.items() if not values.get(name)})
    with transaction.atomic():
        practice = GoodPractice(
            network=network,
            city=city,
            status=Status.DRAFT,
            proposed_by=actor,
            slug=_unique_slug(GoodPractice, values.get("name", "")),
            **values,
        )
        practice.source_key = f"{network.slug}-{practice.slug}"
        practice.full_clean()
        practice.save()
        practice.core_tasks.set(_tasks_of(network, core_tasks))
        record_activity(
            kind="practice.proposed",
            scope=network,
            actor=actor,
            data={"name": practice.name, "city": practice.city_name},
            link=practice.get_absolute_url(),
            public=False,
        )
    return practice


def _tasks_of(network: Network | None, core_tasks) -> list[CoreTask]:
    tasks = list(core_tasks)
    if network is None:
        return tasks
    if any(task.network_id != network.pk for task in tasks):
        raise ValidationError({"core_tasks": _("Choose core tasks of the practice's network.")})
    return tasks


def update_practice(
    actor, practice: GoodPractice, *, expected_version: int, changes: dict, core_tasks=None
) -> GoodPractice:
    require(actor, "practices.edit_practice", practice)
    changes = {name: value for name, value in changes.items() if name in PRACTICE_EDIT_FIELDS}
    with transaction.atomic():
        candidate = GoodPractice.objects.get(pk=practice.pk)
        for name, value in changes.items():
            setattr(candidate, name, value)
        candidate.full_clean(exclude=["slug", "source_key"])
        practice = update_versioned(practice, expected_version, changes)
        if core_tasks is not None:
            practice.core_tasks.set(_tasks_of(practice.network, core_tasks))
        practice.save(update_fields=["updated_at"])  # tells search to reindex it
    return practice


def set_practice_status(actor, practice: GoodPractice, status: str) -> GoodPractice:
    require(actor, "practices.publish_practice", practice)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status == status:
            return practice
        practice.status = status
        practice.version += 1
        practice.save(update_fields=["status", "version", "updated_at"])
        if status == Status.PUBLISHED and practice.network is not None:
            record_activity(
                kind="practice.published",
                scope=practice.network,
                actor=actor,
                data={"name": practice.name, "city": practice.city_name},
                link=practice.get_absolute_url(),
            )
    return practice


def add_attachment(
    actor, practice: GoodPractice, *, kind: str, title: str, file=None, url: str = ""
) -> Attachment:
    require(actor, "practices.edit_practice", practice)
    if kind == Attachment.Kind.LINK:
        if not url:
            raise ValidationError({"url": _("Give the address of the link.")})
        file = None
    else:
        if file is None:
            raise ValidationError({"file": _("Choose a file.")})
        check_upload(kind, file)
        url = ""
    attachment = Attachment(practice=practice, kind=kind, title=title, url=url, added_by=actor)
    if file is not None:
        attachment.file = file
    attachment.full_clean()
    with transaction.atomic():
        attachment.save()
    return attachment


def remove_attachment(actor, attachment: Attachment) -> None:
    require(actor, "practices.edit_practice", attachment.practice)
    with transaction.atomic():
        attachment.delete()


def assess_label(
    actor, practice: GoodPractice, *, criterion: str, met: bool, comment: str
) -> LabelAssessment:
    """Record the judgement on one of the four URBACT label criteria, with its reasons."""
    require(actor, "practices.assess_label", practice)
    if criterion not in LabelAssessment.Criterion.values:
        raise ValidationError({"criterion": _("Unknown criterion.")})
    if not comment.strip():
        raise ValidationError({"comment": _("Say why: the comment is what others learn from.")})
    with transaction.atomic():
        assessment, _created = LabelAssessment.objects.update_or_create(
            practice=practice,
            criterion=criterion,
            defaults={"met": met, "comment": comment.strip(), "assessed_by": actor},
        )
    return assessment


# --- interviews and approach texts -----------------------------------------------------------

INTERVIEW_FIELDS = [
    "person_name", "person_role", "city_name", "interviewed_on", "introduction", "language",
    "consent_to_publish",
]  # fmt: skip


def _set_answers(interview: Interview, answers) -> None:
    """Replace the questions and answers, keeping the rows (and the guide's excerpts) that stay."""
    answers = [(q.strip(), a.strip()) for q, a in answers if q.strip() or a.strip()]
    for question, answer in answers:
        if not question or not answer:
            raise ValidationError({"answers": _("Every question needs an answer, and back.")})
    current = list(interview.answers.order_by("position"))
    for position, (question, answer) in enumerate(answers, start=1):
        row = (
            current[position - 1]
            if position <= len(current)
            else InterviewAnswer(interview=interview)
        )
        row.position, row.question, row.answer = position, question, answer
        row.save()
    for row in current[len(answers) :]:
        row.delete()


def create_interview(
    actor, network: Network, *, values: dict, answers=(), city: City | None = None, core_tasks=()
) -> Interview:
    require(actor, "practices.manage_guide", network)
    values = {name: value for name, value in values.items() if name in INTERVIEW_FIELDS}
    if city is not None:
        values.setdefault("city_name", city.name)
    with transaction.atomic():
        interview = Interview(network=network, city=city, **values)
        interview.full_clean()
        interview.save()
        interview.core_tasks.set(_tasks_of(network, core_tasks))
        _set_answers(interview, answers)
    return interview


def update_interview(
    actor, interview: Interview, *, expected_version: int, changes: dict, answers=None
) -> Interview:
    """Edit an interview; withdrawing consent takes a published interview off the site at once."""
    require(actor, "practices.manage_guide", interview)
    changes = {name: value for name, value in changes.items() if name in INTERVIEW_FIELDS}
    if changes.get("consent_to_publish") is False:
        changes["status"] = Status.DRAFT
    with transaction.atomic():
        candidate = Interview.objects.get(pk=interview.pk)
        for name, value in changes.items():
            setattr(candidate, name, value)
        candidate.full_clean()
        interview = update_versioned(interview, expected_version, changes)
        if answers is not None:
            _set_answers(interview, answers)
    return interview


def set_interview_status(actor, interview: Interview, status: str) -> Interview:
    require(actor, "practices.manage_guide", interview)
    if status == Status.PUBLISHED and not interview.consent_to_publish:
        raise ValidationError(
            {"status": _("Only an interview whose person agreed may be published.")}
        )
    with transaction.atomic():
        Interview.objects.filter(pk=interview.pk).update(
            status=status, version=F("version") + 1, updated_at=timezone.now()
        )
        if status == Status.PUBLISHED:
            record_activity(
                kind="interview.published",
                scope=interview.network,
                actor=actor,
                data={"person": interview.person_name, "role": interview.person_role},
                link=interview.get_absolute_url(),
            )
    interview.refresh_from_db()
    return interview


def save_approach_text(
    actor, core_task: CoreTask, *, title: str, text: str, language: str = "en",
    expected_version: int | None = None,
) -> ApproachText:  # fmt: skip
    """Write the approach text of a core task; an edit from an older version is refused."""
    require(actor, "practices.manage_guide", core_task.network)
    changes = {"title": title.strip(), "text": text.strip(), "language": language}
    with transaction.atomic():
        current = ApproachText.objects.filter(core_task=core_task).first()
        candidate = ApproachText(core_task=core_task, **changes)
        candidate.full_clean(exclude=["core_task"] if current else None)
        if current is None:
            candidate.save()
            approach = candidate
        elif expected_version is None:
            # A text someone already wrote is only replaced by an edit of that text.
            raise EditConflict(current, list(changes))
        else:
            approach = update_versioned(current, expected_version, changes)
        _touch_guides(core_task.network_id)
    return approach


# --- the guide -------------------------------------------------------------------------------


def _touch_guides(network_id: int) -> None:
    """A new guide version: its pages and PDF are rebuilt from the changed texts."""
    Guide.objects.filter(network_id=network_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    for guide_id in Guide.objects.filter(
        network_id=network_id, status=Status.PUBLISHED
    ).values_list("pk", flat=True):
        _render_after_commit(guide_id)


def touch_guides_showing(practice: GoodPractice) -> None:
    """The guides that hold `practice` show something new of it (its first photo, in the PDF):
    a new version of each, and a new PDF for the published ones."""
    guide_ids = set(
        GuideChapter.objects.filter(practices=practice).values_list("guide_id", flat=True)
    )
    if not guide_ids:
        return
    Guide.objects.filter(pk__in=guide_ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    for guide_id in Guide.objects.filter(pk__in=guide_ids, status=Status.PUBLISHED).values_list(
        "pk", flat=True
    ):
        _render_after_commit(guide_id)


def _render_after_commit(guide_id: int) -> None:
    """Have the published guide's new PDF made in the background once the change is stored."""
    from conet.practices.tasks import render_guide_pdf

    transaction.on_commit(lambda: render_guide_pdf(guide_id), robust=True)


def create_guide(
    actor, network: Network, *, title: str, introduction: str = "", language: str = "en",
    slug: str = "",
) -> Guide:  # fmt: skip
    """A draft guide with one chapter per core task of the network."""
    require(actor, "practices.manage_guide", network)
    with transaction.atomic():
        guide = Guide(
            network=network,
            title=title.strip(),
            introduction=introduction.strip(),
            language=language,
            slug=slug or _unique_slug(Guide, title, network=network),
        )
        guide.full_clean()
        try:
            guide.save()
        except IntegrityError:
            raise ValidationError({"slug": _("The network has a guide of this name.")}) from None
        GuideChapter.objects.bulk_create(
            GuideChapter(guide=guide, core_task=task) for task in network.core_tasks.all()
        )
    return guide


def update_guide(actor, guide: Guide, *, expected_version: int, changes: dict) -> Guide:
    require(actor, "practices.manage_guide", guide)
    changes = {k: v for k, v in changes.items() if k in {"title", "introduction", "language"}}
    with transaction.atomic():
        candidate = Guide.objects.get(pk=guide.pk)
        for name, value in changes.items():
            setattr(candidate, name, value)
        candidate.full_clean()
        guide = update_versioned(guide, expected_version, changes)
        if guide.is_published:
            _render_after_commit(guide.pk)
        return guide


def update_chapter(
    actor, chapter: GuideChapter, *, expected_version: int, introduction: str,
    practices=(), excerpts=(),
) -> GuideChapter:  # fmt: skip
    """Choose a chapter's practices (published ones) and interview excerpts (with consent)."""
    guide = chapter.guide
    require(actor, "practices.manage_guide", guide)
    practices, excerpts = list(practices), list(excerpts)
    if any(not practice.is_published for practice in practices):
        raise ValidationError({"practices": _("Choose published practices only.")})
    if any(
        not excerpt.interview.consent_to_publish or excerpt.interview.network_id != guide.network_id
        for excerpt in excerpts
    ):
        raise ValidationError(
            {"excerpts": _("Quote interviews of this network whose person agreed to publication.")}
        )
    with transaction.atomic():
        update_versioned(guide, expected_version, {})
        chapter.introduction = introduction.strip()
        chapter.save(update_fields=["introduction"])
        chapter.practices.set(practices)
        chapter.excerpts.set(excerpts)
        if guide.is_published:
            _render_after_commit(guide.pk)
    return chapter


def set_guide_status(actor, guide: Guide, status: str) -> Guide:
    require(actor, "practices.publish_guide", guide)
    with transaction.atomic():
        guide = Guide.objects.select_for_update().get(pk=guide.pk)
        if guide.status == status:
            return guide
        guide.status = status
        guide.published_at = timezone.now() if status == Status.PUBLISHED else guide.published_at
        guide.save(update_fields=["status", "published_at", "updated_at"])
        if status == Status.PUBLISHED:
            record_activity(
                kind="guide.published",
                scope=guide.network,
                actor=actor,
                data={"title": guide.title},
                link=guide.get_absolute_url(),
            )
            _render_after_commit(guide.pk)
    return guide
