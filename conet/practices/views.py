"""Pages of good practices, interviews and guides: thin views that authorise, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.core.forms import save_versioned_form
from conet.core.permissions import require
from conet.networks.models import City, CoreTask
from conet.practices import documents, selectors, services
from conet.practices.forms import (
    AnswerFormSet,
    ApproachForm,
    AttachmentForm,
    ChapterForm,
    GuideForm,
    InterviewForm,
    LabelForm,
    NewGuideForm,
    NewInterviewForm,
    PracticeForm,
    ProposeForm,
)
from conet.practices.models import ApproachText, Attachment, Interview, Status
from conet.practices.tasks import render_guide_pdf

# --- practices -------------------------------------------------------------------------------


def practice_list(request):
    filters = selectors.PracticeFilters.from_query(request.GET)
    page = selectors.practice_list_page(request.user, filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "choices": selectors.filter_choices(),
        "sizes": [
            ("small", _("Small (under 50,000)")),
            ("medium", _("Medium (50,000–250,000)")),
            ("large", _("Large (over 250,000)")),
        ],
        "query_string": query.urlencode(),
    }
    return render(request, "practices/practice_list.html", context)


def practice_detail(request, slug: str):
    practice = selectors.practice_detail(slug)
    if not request.user.has_perm("practices.view_practice", practice):
        raise Http404(_("No such practice."))
    sections = [
        (_("Summary"), "summary"),
        (_("Solution"), "solution"),
        (_("Integrated approach"), "integrated_approach"),
        (_("Participation"), "participation"),
        (_("Outcomes"), "outcomes"),
        (_("Transferability"), "transferability"),
    ]
    context = {
        "practice": practice,
        "sections": [(title, field) for title, field in sections if getattr(practice, field)],
        "similar": selectors.similar_practices(practice) if practice.is_published else [],
        "can_edit": request.user.has_perm("practices.edit_practice", practice),
        "can_publish": request.user.has_perm("practices.publish_practice", practice),
        "can_assess": request.user.has_perm("practices.assess_label", practice),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "practices/practice_detail.html", context)


@login_required
def practice_propose(request, slug: str):
    network = selectors.network_by_slug(slug)
    require(request, "practices.propose_practice", network)
    if request.user.has_perm("practices.publish_practice", network):
        cities = City.objects.filter(partnerships__network=network)
    else:
        own = {c for role, c in roles_of(request.user).city_roles if role == Role.CITY_COORDINATOR}
        cities = City.objects.filter(partnerships__network=network, pk__in=own)
    form = ProposeForm(request.POST or None, network=network, cities=cities)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form._meta.fields}
        city = form.cleaned_data.get("city")
        if city is not None:
            values["city_name"] = values.get("city_name") or city.name
            values["country"] = values.get("country") or city.get_country_display()
        try:
            practice = services.propose_practice(
                request.user,
                network,
                city=city,
                values=values,
                core_tasks=form.cleaned_data["core_tasks"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The practice is saved as a draft."))
            return redirect(practice)
    return render(request, "practices/practice_form.html", {"form": form, "network": network})


@login_required
def practice_edit(request, slug: str):
    practice = selectors.practice_detail(slug)
    require(request, "practices.edit_practice", practice)
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and save_versioned_form(
        request,
        form,
        lambda expected_version, changes: services.update_practice(
            request.user,
            practice,
            expected_version=expected_version,
            changes=changes,
            core_tasks=form.cleaned_data["core_tasks"] if practice.network else None,
        ),
    ):
        return redirect(practice)
    return render(request, "practices/practice_form.html", {"form": form, "practice": practice})


@login_required
@require_POST
def practice_status(request, slug: str):
    practice = selectors.practice_detail(slug)
    require(request, "practices.publish_practice", practice)
    status = request.POST.get("status", "")
    try:
        services.set_practice_status(request.user, practice, status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(practice)


@login_required
@require_POST
def attachment_add(request, slug: str):
    practice = selectors.practice_detail(slug)
    require(request, "practices.edit_practice", practice)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(request.user, practice, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added."))
            return redirect(practice)
    return render(
        request, "practices/attachment_form.html", {"form": form, "practice": practice}, status=422
    )


@login_required
@require_POST
def attachment_remove(request, slug: str, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk, practice__slug=slug)
    require(request, "practices.edit_practice", attachment.practice)
    services.remove_attachment(request.user, attachment)
    messages.success(request, _("Removed."))
    return redirect(attachment.practice)


@login_required
def label_assess(request, slug: str):
    practice = selectors.practice_detail(slug)
    require(request, "practices.assess_label", practice)
    form = LabelForm(request.POST or None, assessments=practice.label_assessments.all())
    if request.method == "POST" and form.is_valid():
        for criterion, met, comment in form.criteria():
            if not comment.strip():
                continue
            services.assess_label(
                request.user, practice, criterion=criterion, met=met, comment=comment
            )
        messages.success(request, _("Saved."))
        return redirect(practice)
    return render(request, "practices/label_form.html", {"form": form, "practice": practice})


# --- interviews and approach texts -----------------------------------------------------------


def interview_list(request, slug: str):
    network = selectors.network_by_slug(slug)
    context = {
        "network": network,
        "interviews": selectors.interviews_of(request.user, network),
        "can_manage": request.user.has_perm("practices.manage_guide", network),
    }
    return render(request, "practices/interview_list.html", context)


def interview_detail(request, slug: str, pk: int):
    interview = get_object_or_404(
        Interview.objects.select_related("network").prefetch_related("answers"),
        pk=pk,
        network__slug=slug,
    )
    if not request.user.has_perm("practices.view_interview", interview):
        raise Http404(_("No such interview."))
    context = {
        "interview": interview,
        "can_manage": request.user.has_perm("practices.manage_guide", interview),
    }
    return render(request, "practices/interview_detail.html", context)


def _answers(formset) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data.get("question", ""), form.cleaned_data.get("answer", ""))
        for form in formset.forms
        if form.cleaned_data
    ]


@login_required
def interview_edit(request, slug: str, pk: int | None = None):
    network = selectors.network_by_slug(slug)
    require(request, "practices.manage_guide", network)
    interview = get_object_or_404(Interview, pk=pk, network=network) if pk else None
    form_class = InterviewForm if interview else NewInterviewForm
    form = form_class(request.POST or None, instance=interview or Interview(network=network))
    initial = [{"question": a.question, "answer": a.answer} for a in interview.answers.all()] if (
        interview
    ) else []  # fmt: skip
    formset = AnswerFormSet(request.POST or None, initial=initial, prefix="answers")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if interview is None:
                values = {name: form.cleaned_data[name] for name in form._meta.fields}
                interview = services.create_interview(
                    request.user, network, values=values, answers=_answers(formset)
                )
            elif not save_versioned_form(
                request,
                form,
                lambda expected_version, changes: services.update_interview(
                    request.user,
                    interview,
                    expected_version=expected_version,
                    changes=changes,
                    answers=_answers(formset),
                ),
            ):
                raise _Kept()
        except ValidationError as error:
            form.add_error(None, error)
        except _Kept:
            pass
        else:
            messages.success(request, _("Saved."))
            return redirect(interview)
    context = {"form": form, "formset": formset, "network": network, "interview": interview}
    return render(request, "practices/interview_form.html", context)


class _Kept(Exception):
    """The versioned form showed its own error; render it again."""


@login_required
@require_POST
def interview_status(request, slug: str, pk: int):
    interview = get_object_or_404(Interview, pk=pk, network__slug=slug)
    require(request, "practices.manage_guide", interview)
    try:
        services.set_interview_status(request.user, interview, request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(interview)


@login_required
def approach_edit(request, slug: str, number: int):
    network = selectors.network_by_slug(slug)
    require(request, "practices.manage_guide", network)
    core_task = get_object_or_404(CoreTask, network=network, number=number)
    current = ApproachText.objects.filter(core_task=core_task).first()
    form = ApproachForm(request.POST or None, instance=current or ApproachText(core_task=core_task))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_approach_text(
                request.user, core_task, **form.cleaned_data,
                expected_version=int(request.POST.get("version") or 0) or None,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        except services.EditConflict:
            form.add_error(None, _("Someone else saved this text meanwhile. Load it again."))
        else:
            messages.success(request, _("Saved."))
            return redirect("practices:guides", slug=network.slug)
    context = {"form": form, "network": network, "core_task": core_task, "approach": current}
    return render(request, "practices/approach_form.html", context)


# --- the guide -------------------------------------------------------------------------------


def guide_list(request, slug: str):
    network = selectors.network_by_slug(slug)
    can_manage = request.user.has_perm("practices.manage_guide", network)
    context = {
        "network": network,
        "guides": selectors.guides_of(request.user, network),
        "can_manage": can_manage,
        "core_tasks": network.core_tasks.select_related("approach") if can_manage else [],
    }
    return render(request, "practices/guide_list.html", context)


def _readable_guide(request, slug: str, guide_slug: str):
    guide = selectors.guide_by_slug(slug, guide_slug)
    if not request.user.has_perm("practices.view_guide", guide):
        raise Http404(_("No such guide."))
    return guide


def guide_detail(request, slug: str, guide_slug: str):
    guide = _readable_guide(request, slug, guide_slug)
    context = {
        "guide": guide,
        "chapters": selectors.guide_chapter_list(guide),
        "can_manage": request.user.has_perm("practices.manage_guide", guide),
        "can_publish": request.user.has_perm("practices.publish_guide", guide),
    }
    return render(request, "practices/guide_detail.html", context)


def chapter_detail(request, slug: str, guide_slug: str, number: int):
    guide = _readable_guide(request, slug, guide_slug)
    chapters = selectors.guide_contents(guide)
    chapter = selectors.chapter_of(chapters, number)
    index = chapters.index(chapter)
    context = {
        "guide": guide,
        "chapter": chapter,
        "previous": chapters[index - 1] if index > 0 else None,
        "next": chapters[index + 1] if index + 1 < len(chapters) else None,
        "can_manage": request.user.has_perm("practices.manage_guide", guide),
    }
    return render(request, "practices/chapter_detail.html", context)


def guide_pdf(request, slug: str, guide_slug: str):
    """The guide's PDF: the stored one of this version; while a changed guide is rendered in the
    background, the previous version's; made at once only when there is none at all."""
    guide = _readable_guide(request, slug, guide_slug)
    language = translation.get_language() or "en"
    stored = documents.newest_stored_pdf(guide, language)
    try:
        if stored is not None:
            pdf, version = stored
            # One render per version and language, however many readers ask meanwhile.
            key = f"practices:guide-pdf:{guide.pk}:{guide.version}:{language}"
            if version != guide.version and cache.add(key, 1, 600):
                transaction.on_commit(lambda: render_guide_pdf(guide.pk, language), robust=True)
        else:
            pdf = documents.guide_pdf(guide, language)
    except documents.PdfUnavailable:
        return render(request, "practices/pdf_unavailable.html", {"guide": guide}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{guide.network.slug}-{guide.slug}.pdf"'
    return response


@login_required
def guide_edit(request, slug: str, guide_slug: str | None = None):
    network = selectors.network_by_slug(slug)
    require(request, "practices.manage_guide", network)
    guide = selectors.guide_by_slug(slug, guide_slug) if guide_slug else None
    if guide is None:
        form = NewGuideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                guide = services.create_guide(
                    request.user,
                    network,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(guide)
    else:
        form = GuideForm(request.POST or None, instance=guide)
        if request.method == "POST" and save_versioned_form(
            request,
            form,
            lambda expected_version, changes: services.update_guide(
                request.user, guide, expected_version=expected_version, changes=changes
            ),
        ):
            return redirect(guide)
    context = {"form": form, "network": network, "guide": guide}
    return render(request, "practices/guide_form.html", context)


@login_required
def chapter_edit(request, slug: str, guide_slug: str, number: int):
    guide = selectors.guide_by_slug(slug, guide_slug)
    require(request, "practices.manage_guide", guide)
    chapter = selectors.chapter_of(selectors.guide_contents(guide, published_only=False), number)
    initial = {
        "version": guide.version,
        "introduction": chapter.introduction,
        "practices": list(chapter.practices.all()),
        "excerpts": list(chapter.excerpts.all()),
    }
    form = ChapterForm(request.POST or None, initial=initial, network=guide.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_chapter(
                request.user,
                chapter,
                expected_version=form.cleaned_data["version"],
                introduction=form.cleaned_data["introduction"],
                practices=form.cleaned_data["practices"],
                excerpts=form.cleaned_data["excerpts"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.EditConflict:
            form.add_error(None, _("Someone else changed the guide meanwhile. Load it again."))
        else:
            messages.success(request, _("Saved."))
            return redirect(chapter)
    context = {"form": form, "guide": guide, "chapter": chapter}
    return render(request, "practices/chapter_form.html", context)


@login_required
@require_POST
def guide_status(request, slug: str, guide_slug: str):
    guide = selectors.guide_by_slug(slug, guide_slug)
    require(request, "practices.publish_guide", guide)
    status = request.POST.get("status", "")
    if status not in Status.values:
        messages.error(request, _("Unknown status."))
    else:
        services.set_guide_status(request.user, guide, status)
        messages.success(request, _("Saved."))
    return redirect(guide)
