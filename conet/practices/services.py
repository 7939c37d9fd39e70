"""Every write to practices, interviews, approach texts and guides: one function per use case.

Each runs in one transaction and writes to the activity feed in it, so a refused or rolled-back
change leaves no trace. Versioned rows are changed with `update_versioned`, so two people editing
the same practice cannot overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from conet.networks.models import CoreTask, Network
from conet.practices.imports import ParsedRow
from conet.practices.models import (
    GoodPractice,
    Status,
)


def _require(user, perm: str, obj) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


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
