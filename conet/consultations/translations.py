"""A consultation's introduction, in more than one language (conet/core/translations)."""

from conet.consultations.models import Consultation
from conet.core.translations.registry import Translatable, register

register(
    Translatable(
        model=Consultation,
        fields=("description",),
        edit_permission="consultations.change_consultation",
    )
)
