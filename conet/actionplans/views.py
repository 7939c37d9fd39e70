"""The plan pages: thin views that authorise, call a service or selector, and render."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.actionplans import documents, exports, selectors, services, tasks
from conet.actionplans.forms import (
    ActionForm,
    CommentForm,
    ImportForm,
    IndicatorEditForm,
    IndicatorForm,
    NodeAddForm,
    NodeForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanSettingsForm,
    ProgressForm,
    ReviewForm,
    SectionForm,
)
from conet.actionplans.models import (
    Action,
    Draft,
    Indicator,
    Objective,
    PlanSection,
    ProblemNode,
    VersionDocument,
    WorkingDocument,
)
from conet.core.forms import save_versioned_form
from conet.core.permissions import require
from conet.networks.models import Network


def plan_detail(request, slug: str, city_slug: str):
    """The working plan for the people who work on it; the latest launched version for everyone else."""
    partnership = selectors.partnership_for(slug, city_slug)
    plan = (
        getattr(partnership, "action_plan", None) if hasattr(partnership, "action_plan") else None
    )
    if plan is None:
        if not request.user.has_perm("actionplans.create_plan", partnership):
            raise Http404(_("This city has no Local Action Plan yet."))
        return render(request, "actionplans/plan_missing.html", {"partnership": partnership})
    plan.partnership = partnership
    label = request.GET.get("version")
    if label or not request.user.has_perm("actionplans.view_working_plan", plan):
        return _launched(request, plan, label)
    user = request.user
    context = {
        "page": selectors.plan_page(plan),
        "plan": plan,
        "can_edit": user.has_perm("actionplans.edit_content", plan),
        "can_manage": user.has_perm("actionplans.manage_plan", plan),
        "can_comment": user.has_perm("actionplans.comment", plan),
        "can_review": user.has_perm("actionplans.review", plan),
        "can_update_progress": user.has_perm("actionplans.update_progress", plan),
        "transitions": services.transitions_for(user, plan),
        "can_view_group": user.has_perm("localgroups.view_group", partnership),
        "node_form": NodeAddForm(plan=plan),
        "objective_form": ObjectiveForm(plan=plan),
        "comment_form": CommentForm(),
    }
    return render(request, "actionplans/plan_detail.html", context)


def _launched(request, plan, label: str | None):
    versions = list(plan.versions.order_by("-major", "-minor"))
    if label:
        version = next((v for v in versions if v.label == label), None)
    else:
        version = versions[0] if versions else None
    if version is None:
        raise Http404(_("No version of this plan has been launched yet."))
    context = {
        "plan": plan,
        "version": version,
        "versions": versions,
        "data": version.snapshot,
        # The latest version's page also shows the plan's state today; an older one stays as it was.
        "today": selectors.public_progress(plan, version) if version == versions[0] else None,
    }
    return render(request, "actionplans/plan_launched.html", context)


def _plan(slug, city_slug):
    return selectors.plan_for(slug, city_slug)


@login_required
@require_POST
def plan_create(request, slug: str, city_slug: str):
    partnership = selectors.partnership_for(slug, city_slug)
    require(request, "actionplans.create_plan", partnership)
    try:
        plan = services.create_plan(partnership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("actionplans:plan", slug, city_slug)
    messages.success(request, _("The plan is started."))
    return redirect(plan.get_absolute_url())


def _edit(request, *, form, save, plan, title, draft_key=None, current_version=None):
    if request.method == "POST" and save_versioned_form(request, form, save):
        return redirect(plan.get_absolute_url())
    context = {"plan": plan, "form": form, "title": title}
    if draft_key:
        context.update(_drafting(request, plan, form, draft_key, current_version))
    return render(request, "actionplans/form.html", context, status=422 if form.errors else 200)


# Drafts: the form saves what is typed every few seconds; the editor finds it again on return.


def _draft_urls(plan, key: str) -> tuple[str, str]:
    args = [plan.partnership.network.slug, plan.partnership.city.slug, key]
    return reverse("actionplans:draft", args=args), reverse("actionplans:draft_discard", args=args)


def _drafting(request, plan, form, key: str, current_version: int | None) -> dict:
    """Autosave for this form, and on a fresh visit the person's own draft put back into it."""
    save_url, discard_url = _draft_urls(plan, key)
    context = {
        "autosave_url": save_url,
        "autosave_delay": getattr(settings, "CONET_AUTOSAVE_DELAY_MS", 2000),
    }
    if form.is_bound:
        return context
    draft = Draft.objects.filter(plan=plan, user=request.user, key=key).first()
    if draft is None:
        return context
    for name, values in draft.data.items():
        field = form.fields.get(name)
        if field is None or name == "version":
            continue
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        form.initial[name] = values if multiple else (values[0] if values else "")
    if "version" in form.fields:
        # The draft keeps the version it started from: saving it meets the usual conflict check.
        form.initial["version"] = draft.base_version
    context.update(
        draft=draft,
        draft_stale=current_version is not None and draft.base_version != current_version,
        discard_url=discard_url,
    )
    return context


def _draft_version(plan, key: str) -> int | None:
    kind, _sep, name = key.partition(":")
    if kind == "section":
        return plan.sections.filter(kind=name).values_list("version", flat=True).first()
    if kind == "action" and name.isdigit():
        return plan.actions.filter(number=name).values_list("version", flat=True).first()
    return None


@login_required
@require_POST
def draft_save(request, slug: str, city_slug: str, key: str):
    """Keep what was typed; JSON answer, 422 naming the field when the draft cannot be kept."""
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    skip = {"csrfmiddlewaretoken", "version", "homepage"}
    data = {name: request.POST.getlist(name) for name in request.POST if name not in skip}
    try:
        base_version = int(request.POST.get("version") or 0)
    except ValueError:
        return JsonResponse({"errors": {"version": [_("Not a version number.")]}}, status=422)
    try:
        draft = services.save_draft(
            plan, by=request.user, key=key, data=data, base_version=base_version
        )
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=422)
    current = _draft_version(plan, key)
    stale = current is not None and current != base_version
    time = formats.time_format(timezone.localtime(draft.updated_at), "H:i:s")
    if stale:
        message = _(
            "Draft kept at %(time)s. Someone else has saved this meanwhile: saving will show "
            "you their change."
        ) % {"time": time}
    else:
        message = _("Draft saved at %(time)s.") % {"time": time}
    return JsonResponse({"saved": True, "stale": stale, "message": message})


@login_required
@require_POST
def draft_discard(request, slug: str, city_slug: str, key: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    services.discard_draft(plan, by=request.user, key=key)
    messages.success(request, _("The draft is discarded."))
    kind, _sep, name = key.partition(":")
    args = [slug, city_slug]
    if kind == "section":
        return redirect("actionplans:section", *args, name)
    if kind == "action" and name.isdigit():
        return redirect("actionplans:action", *args, int(name))
    return redirect("actionplans:action_add", *args)


@login_required
def plan_settings(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.manage_plan", plan)
    return _edit(
        request,
        form=PlanSettingsForm(request.POST or None, instance=plan),
        save=lambda **kw: services.update_plan(plan, by=request.user, **kw),
        plan=plan,
        title=_("Plan settings"),
    )


@login_required
def section_edit(request, slug: str, city_slug: str, kind: str):
    plan = _plan(slug, city_slug)
    section = get_object_or_404(PlanSection, plan=plan, kind=kind)
    section.plan = plan
    require(request, "actionplans.edit_content", plan)
    return _edit(
        request,
        form=SectionForm(request.POST or None, instance=section),
        save=lambda expected_version, changes: services.update_section(
            section, by=request.user, expected_version=expected_version, text=changes["text"]
        ),
        plan=plan,
        title=section.get_kind_display(),
        draft_key=f"section:{section.kind}",
        current_version=section.version,
    )


def _add(request, plan, form, create, success: str):
    """A small add form posted from the plan page: saved, or shown alone with its errors."""
    if form.is_valid():
        try:
            create(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(plan.get_absolute_url())
    context = {"plan": plan, "form": form, "title": success}
    return render(request, "actionplans/form.html", context, status=422)


@login_required
@require_POST
def node_add(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    return _add(
        request,
        plan,
        NodeAddForm(request.POST, plan=plan),
        lambda data: services.add_problem_node(plan, by=request.user, **data),
        _("Added to the problem tree."),
    )


@login_required
def node_edit(request, slug: str, city_slug: str, pk: int):
    plan = _plan(slug, city_slug)
    node = get_object_or_404(ProblemNode.objects.select_related("parent"), plan=plan, pk=pk)
    node.plan = plan
    require(request, "actionplans.edit_content", plan)
    return _edit(
        request,
        form=NodeForm(request.POST or None, instance=node),
        save=lambda **kw: services.update_problem_node(node, by=request.user, **kw),
        plan=plan,
        title=_("Problem tree node"),
    )


@login_required
@require_POST
def node_remove(request, slug: str, city_slug: str, pk: int):
    plan = _plan(slug, city_slug)
    node = get_object_or_404(ProblemNode, plan=plan, pk=pk)
    node.plan = plan
    require(request, "actionplans.edit_content", plan)
    services.remove_problem_node(node, by=request.user)
    messages.success(request, _("Removed from the problem tree."))
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def objective_add(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    return _add(
        request,
        plan,
        ObjectiveForm(request.POST, plan=plan),
        lambda data: services.add_objective(plan, by=request.user, **data),
        _("Objective added."),
    )


@login_required
def indicator_add(request, slug: str, city_slug: str, number: int):
    plan = _plan(slug, city_slug)
    objective = get_object_or_404(Objective, plan=plan, number=number)
    objective.plan = plan
    require(request, "actionplans.edit_content", plan)
    form = IndicatorForm(request.POST or None, objective=objective)
    if request.method != "POST":
        return render(
            request, "actionplans/form.html", {"plan": plan, "form": form, "title": str(objective)}
        )
    return _add(
        request,
        plan,
        form,
        lambda data: services.add_indicator(objective, by=request.user, **data),
        _("Indicator added."),
    )


@login_required
def objective_edit(request, slug: str, city_slug: str, number: int):
    plan = _plan(slug, city_slug)
    objective = get_object_or_404(Objective, plan=plan, number=number)
    objective.plan = plan
    require(request, "actionplans.edit_content", plan)
    return _edit(
        request,
        form=ObjectiveEditForm(request.POST or None, instance=objective, plan=plan),
        save=lambda **kw: services.update_objective(objective, by=request.user, **kw),
        plan=plan,
        title=str(objective),
    )


@login_required
def indicator_edit(request, slug: str, city_slug: str, number: int, pk: int):
    plan = _plan(slug, city_slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective"),
        objective__plan=plan,
        objective__number=number,
        pk=pk,
    )
    indicator.objective.plan = plan
    require(request, "actionplans.edit_content", plan)
    return _edit(
        request,
        form=IndicatorEditForm(
            request.POST or None, instance=indicator, objective=indicator.objective
        ),
        save=lambda **kw: services.update_indicator(indicator, by=request.user, **kw),
        plan=plan,
        title=indicator.definition,
    )


@login_required
def action_add(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    form = ActionForm(request.POST or None, plan=plan)
    form.fields.pop("version")
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ActionForm.Meta.fields}
        try:
            services.add_action(plan, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action added."))
            return redirect(plan.get_absolute_url() + "#actions")
    context = {"plan": plan, "form": form, "title": _("New action")}
    context.update(_drafting(request, plan, form, "action:new", None))
    return render(request, "actionplans/form.html", context, status=422 if form.errors else 200)


def _action(plan, number: int) -> Action:
    action = get_object_or_404(Action, plan=plan, number=number)
    action.plan = plan
    return action


def action_detail(request, slug: str, city_slug: str, number: int):
    """One action for everyone who may see it: who, when, how far, its indicators, and the
    workshop proposals and consultation statements it came from."""
    plan = _plan(slug, city_slug)
    action = selectors.action_page(plan, number, request.user)
    context = {
        "plan": plan,
        "action": action,
        "partnership": plan.partnership,
        "can_edit": request.user.has_perm("actionplans.edit_content", plan),
        "can_update_progress": request.user.has_perm("actionplans.update_progress", plan),
    }
    return render(request, "actionplans/action_detail.html", context)


@login_required
def action_edit(request, slug: str, city_slug: str, number: int):
    plan = _plan(slug, city_slug)
    action = _action(plan, number)
    require(request, "actionplans.edit_content", plan)
    return _edit(
        request,
        form=ActionForm(request.POST or None, instance=action, plan=plan),
        save=lambda **kw: services.update_action(action, by=request.user, **kw),
        plan=plan,
        title=str(action),
        draft_key=f"action:{action.number}",
        current_version=action.version,
    )


@login_required
def action_progress(request, slug: str, city_slug: str, number: int):
    plan = _plan(slug, city_slug)
    action = _action(plan, number)
    require(request, "actionplans.update_progress", plan)
    return _edit(
        request,
        form=ProgressForm(request.POST or None, instance=action),
        save=lambda expected_version, changes: services.update_progress(
            action, by=request.user, expected_version=expected_version, **changes
        ),
        plan=plan,
        title=str(action),
    )


@login_required
@require_POST
def comment(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.comment", plan)
    return _add(
        request,
        plan,
        CommentForm(request.POST),
        lambda data: services.comment(plan, by=request.user, **data),
        _("Your comment is in the consultation log."),
    )


@login_required
def review(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.review", plan)
    form = ReviewForm(request.POST or None)
    if request.method != "POST":
        title = _("Peer review")
        return render(
            request, "actionplans/form.html", {"plan": plan, "form": form, "title": title}
        )
    return _add(
        request,
        plan,
        form,
        lambda data: services.review(plan, by=request.user, **data),
        _("Thank you for your review."),
    )


@login_required
@require_POST
def transition(request, slug: str, city_slug: str, name: str):
    plan = _plan(slug, city_slug)
    if name not in services.TRANSITIONS:
        raise Http404
    require(request, services.TRANSITIONS[name][2], plan)
    try:
        services.transition(plan, name, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan moved on."))
    return redirect(plan.get_absolute_url())


def compare_versions(request, slug: str, city_slug: str):
    """Two versions side by side: launched ones for everyone, the working plan for its readers."""
    plan = _plan(slug, city_slug)
    versions = {v.label: v for v in plan.versions.order_by("major", "minor")}
    may_read_working = request.user.has_perm("actionplans.view_working_plan", plan)
    choices = [*versions, *(["working"] if may_read_working else [])]
    if len(choices) < 2:
        raise Http404(_("There is nothing to compare yet."))
    old_label = request.GET.get("old") or choices[-2]
    new_label = request.GET.get("new") or choices[-1]
    if old_label not in choices or new_label not in choices:
        raise Http404(_("No such version."))

    def data(label: str) -> dict:
        if label == "working":
            return selectors.snapshot(plan)
        return versions[label].snapshot

    context = {
        "plan": plan,
        "choices": choices,
        "old_label": old_label,
        "new_label": new_label,
        "comparison": selectors.compare(data(old_label), data(new_label)),
    }
    return render(request, "actionplans/compare.html", context)


# Documents ---------------------------------------------------------------------------------------


def _readable_page(request, slug, city_slug):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.view_working_plan", plan)
    return selectors.plan_page(plan)


def _filename(plan, extension: str) -> str:
    return f"{slugify(plan.partnership.city.name)}-local-action-plan.{extension}"


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plan_pdf(request, slug: str, city_slug: str):
    """The working plan for its readers (made now); a launched version for everyone (kept)."""
    plan = _plan(slug, city_slug)
    label = request.GET.get("version")
    if label or not request.user.has_perm("actionplans.view_working_plan", plan):
        return _version_pdf(request, plan, label)
    page = _readable_page(request, slug, city_slug)
    html = documents.plan_html(page)
    fingerprint = hashlib.sha256(html.encode()).hexdigest()

    def stored():
        return (
            WorkingDocument.objects.filter(plan=plan, fingerprint=fingerprint)
            .values_list("content", flat=True)
            .first()
        )

    content = stored()
    if content is None:
        if not documents.pdf_available():
            context = {"plan": page.plan}
            return render(request, "actionplans/pdf_unavailable.html", context, status=503)
        tasks.render_working_pdf(plan.pk, fingerprint, html, request.build_absolute_uri("/"))
        content = stored()  # present already where tasks run at once (tests, no worker)
    if content is None:
        return render(request, "actionplans/pdf_preparing.html", {"plan": plan}, status=202)
    return _attachment(bytes(content), "application/pdf", _filename(page.plan, "pdf"))


def _version_pdf(request, plan, label: str | None):
    """The stored PDF of a launched version; the first request in a language has it made."""
    versions = plan.versions.order_by("-major", "-minor")
    version = next((v for v in versions if v.label == label), None) if label else versions.first()
    if version is None:
        raise Http404(_("No version of this plan has been launched yet."))
    version.plan = plan
    language = get_language() or settings.LANGUAGE_CODE

    def stored():
        return (
            VersionDocument.objects.filter(
                version=version, format=VersionDocument.Format.PDF, language=language
            )
            .values_list("content", flat=True)
            .first()
        )

    content = stored()
    if content is None:
        if not documents.pdf_available():
            return render(request, "actionplans/pdf_unavailable.html", {"plan": plan}, status=503)
        tasks.request_version_pdf(version, language)
        content = stored()  # present already where tasks run at once (tests, no worker)
    if content is None:
        context = {"plan": plan, "version": version}
        return render(request, "actionplans/pdf_preparing.html", context, status=202)
    name = _filename(plan, "pdf").replace(".pdf", f"-{version.label}.pdf")
    return _attachment(bytes(content), "application/pdf", name)


def plan_docx(request, slug: str, city_slug: str):
    page = _readable_page(request, slug, city_slug)
    return _attachment(
        documents.plan_docx(page),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _filename(page.plan, "docx"),
    )


def actions_csv(request, slug: str, city_slug: str):
    page = _readable_page(request, slug, city_slug)
    return _attachment(
        exports.actions_csv(page.actions), "text/csv; charset=utf-8", _filename(page.plan, "csv")
    )


def indicators_csv(request, slug: str, city_slug: str):
    page = _readable_page(request, slug, city_slug)
    name = _filename(page.plan, "csv").replace("plan", "plan-indicators")
    return _attachment(exports.indicators_csv(page.objectives), "text/csv; charset=utf-8", name)


@login_required
def actions_import(request, slug: str, city_slug: str):
    plan = _plan(slug, city_slug)
    require(request, "actionplans.edit_content", plan)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            result = services.import_actions(plan, by=request.user, text=text)
            if not result.errors:
                messages.success(
                    request, _("%(count)d actions imported.") % {"count": len(result.rows)}
                )
                return redirect(plan.get_absolute_url() + "#actions")
            errors = result.errors
    context = {"plan": plan, "form": form, "errors": errors}
    status = 422 if (errors or form.errors) else 200
    return render(request, "actionplans/import.html", context, status=status)


# The network overview ----------------------------------------------------------------------------


@login_required
def network_overview(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    require(request, "actionplans.view_overview", network)
    context = {
        "network": network,
        "rows": selectors.network_overview(network),
        "by_core_task": selectors.actions_by_core_task(network),
    }
    return render(request, "actionplans/overview.html", context)
