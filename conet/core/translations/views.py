"""The editors' pages: which languages a text is missing, and the form for one version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.core.forms import save_versioned_form
from conet.core.models import ContentTranslation
from conet.core.translations import machine, registry, selectors, services
from conet.core.translations.forms import TranslationForm


def _editable(request, key: str, object_id: int):
    return registry.editable(request, key, object_id)


@login_required
def overview(request, key: str, object_id: int):
    _translatable, obj = _editable(request, key, object_id)
    context = {
        "overview": selectors.overview(obj),
        "obj": obj,
        "key": key,
        "machine_enabled": machine.enabled(),
        "messages_by_code": machine.MESSAGES,
    }
    return render(request, "core/translations/overview.html", context)


@login_required
def edit(request, key: str, object_id: int, field: str, language: str):
    translatable, obj = _editable(request, key, object_id)
    if field not in translatable.fields:
        raise Http404(field)
    try:
        language_name = get_language_info(language)["name_translated"]
    except KeyError as unknown:
        raise Http404(language) from unknown
    stored = ContentTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        language=language,
    ).first() or ContentTranslation(version=0)
    form = TranslationForm(request.POST or None, instance=stored, language=language)
    save = lambda expected_version, changes: services.save_translation(  # noqa: E731
        obj,
        field,
        language,
        changes["text"] or "",
        by=request.user,
        expected_version=expected_version,
        request=request,
    )
    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect("core:translations", key=key, object_id=obj.pk)
    context = {
        "obj": obj,
        "key": key,
        "form": form,
        "field_label": translatable.label(field),
        "original": translatable.original(obj, field),
        "original_language": translatable.language(obj),
        "language": language,
        "language_name": language_name,
        "stored": stored,
    }
    return render(
        request, "core/translations/edit.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def request_machine(request, key: str, object_id: int):
    _translatable, obj = _editable(request, key, object_id)
    try:
        services.request_machine_translations(obj, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The missing translations are being made. This page shows them when they are done."),
        )
    return redirect("core:translations", key=key, object_id=obj.pk)
