"""The plan's sections, in more than one language (conet/core/translations)."""

from conet.actionplans.models import PlanSection
from conet.core.translations.registry import Translatable, register


def _language(section: PlanSection) -> str:
    # A plan is written in its city's first language.
    return (section.plan.partnership.city.language_list or ["en"])[0]


register(
    Translatable(
        model=PlanSection,
        fields=("text",),
        edit_permission="actionplans.manage_plan",
        view_permission="actionplans.view_working_plan",
        language=_language,
        scope=lambda section: (
            section.plan.partnership.network_id,
            section.plan.partnership.city_id,
        ),
        permission_object=lambda section: section.plan,
    )
)
