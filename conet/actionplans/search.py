"""What the search index knows about Local Action Plans: the latest launched version of each plan.

Working drafts are never indexed (they are not public); an older launched version leaves the index
when a newer one is launched."""

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from conet.actionplans.models import PlanVersion
from conet.search.registry import Searchable, SearchDocumentData, register
from conet.search.services import index_later


def plan_document(version: PlanVersion) -> SearchDocumentData | None:
    plan = version.plan
    latest = plan.versions.order_by("-major", "-minor").values_list("pk", flat=True).first()
    if latest != version.pk:
        return None
    snapshot = version.snapshot or {}
    city = plan.partnership.city
    network = plan.partnership.network
    sections = [s.get("text", "") for s in snapshot.get("sections", []) if s.get("text")]
    objectives = [
        f"{o.get('title', '')} {o.get('description', '')}".strip()
        for o in snapshot.get("objectives", [])
    ]
    actions = [
        f"{a.get('title', '')} {a.get('description', '')}".strip()
        for a in snapshot.get("actions", [])
    ]
    core_tasks = sorted(
        {str(task) for a in snapshot.get("actions", []) for task in a.get("core_tasks", [])}
    )
    summary = " · ".join(o.get("title", "") for o in snapshot.get("objectives", []))
    return SearchDocumentData(
        title=f"{snapshot.get('title') or plan.title} ({version.label})",
        url=f"{plan.get_absolute_url()}?version={version.label}",
        language=(city.language_list[0] if city.language_list else network.language),
        summary=summary or (sections[0][:500] if sections else ""),
        body="\n\n".join([*sections, *objectives, *actions]),
        network=network.slug,
        country=city.country,
        city=city.name,
        city_population=city.population,
        core_tasks=tuple(core_tasks),
        extra={"launched_at": version.launched_at.isoformat() if version.launched_at else ""},
    )


def _older_versions_leave(sender, instance: PlanVersion, created: bool, raw=False, **kwargs):
    if created and not raw:
        for pk in (
            PlanVersion.objects.filter(plan_id=instance.plan_id)
            .exclude(pk=instance.pk)
            .values_list("pk", flat=True)
        ):
            index_later("plan", pk)


def register_plans() -> None:
    register(
        Searchable(
            kind="plan",
            label=_("Local Action Plan"),
            model=PlanVersion,
            queryset=lambda: PlanVersion.objects.select_related(
                "plan__partnership__city", "plan__partnership__network"
            ),
            document=plan_document,
        )
    )
    post_save.connect(
        _older_versions_leave, sender=PlanVersion, dispatch_uid="actionplans.search.versions"
    )


register_plans()
