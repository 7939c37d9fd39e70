"""Monitoring pages: the map, an area, an indicator's distribution, a comparison, imports, exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conet.core import spreadsheet
from conet.core.languages import LANGUAGE_CODES
from conet.core.permissions import require
from conet.monitoring import charts, selectors, services
from conet.monitoring.forms import (
    AreaImportForm,
    AreaTableForm,
    IndexForm,
    IndicatorForm,
    ObservationImportForm,
)
from conet.monitoring.readers import ImportFailed


def city_list(request):
    cities = selectors.cities_with_monitoring()
    return render(request, "monitoring/city_list.html", {"cities": cities})


def overview(request, slug: str):
    city = selectors.city_by_slug(slug)
    page = selectors.map_page(
        city,
        layer=request.GET.get("layer", ""),
        period=request.GET.get("period", ""),
        level=request.GET.get("level", ""),
        focus=request.GET.get("focus", ""),
        table_page=request.GET.get("page"),
    )
    context = {
        "city": city,
        "page": page,
        "can_manage": request.user.has_perm("monitoring.manage_city", city),
        "table": page.table,
        "query": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
    }
    if page.tiled and page.layer:
        # The data's address has no language prefix; it names the page's, for the areas' links
        # and labels inside it.
        params = {
            "layer": page.layer.key,
            "period": page.period,
            "level": page.level.code,
            "language": get_language(),
        }
        context["features_url"] = (
            reverse("monitoring_machine:features", args=[city.slug]) + "?" + urlencode(params)
        )
    return render(request, "monitoring/overview.html", context)


def features(request, slug: str):
    """GeoJSON of the areas in view (`bbox=west,south,east,north`) for a map of very many areas."""
    if request.GET.get("language") in LANGUAGE_CODES:
        translation.activate(request.GET["language"])
    city = selectors.city_by_slug(slug)
    bbox = selectors.parse_bbox(request.GET.get("bbox", ""))
    if bbox is None:
        return JsonResponse(
            {"errors": {"bbox": [_("Give the box as west,south,east,north in degrees.")]}},
            status=422,
        )
    found = selectors.features_in_view(
        city,
        layer=request.GET.get("layer", ""),
        period=request.GET.get("period", ""),
        level=request.GET.get("level", ""),
        bbox=bbox,
    )
    return JsonResponse(found.as_geojson())


def area_detail(request, slug: str, code: str):
    city = selectors.city_by_slug(slug)
    page = selectors.area_page(city, code)
    rows = [
        {
            "indicator": indicator,
            "values": [by_period.get(period) for period in page.periods],
            "chart": charts.line_chart(
                [(period, by_period[period]) for period in page.periods if period in by_period]
            ),
        }
        for indicator, by_period in page.table
    ]
    return render(
        request, "monitoring/area_detail.html", {"city": city, "page": page, "rows": rows}
    )


def indicator_detail(request, slug: str, code: str):
    city = selectors.city_by_slug(slug)
    page = selectors.indicator_page(
        city, code, period=request.GET.get("period", ""), level=request.GET.get("level", "")
    )
    context = {"city": city, "page": page, "chart": charts.histogram(page.values)}
    return render(request, "monitoring/indicator_detail.html", context)


def compare(request, slug: str):
    city = selectors.city_by_slug(slug)
    codes = [code.strip() for code in request.GET.getlist("areas") for code in code.split(",")]
    page = selectors.comparison(city, codes, period=request.GET.get("period", ""))
    return render(request, "monitoring/compare.html", {"city": city, "page": page})


def _form_page(request, city, form, template: str, status: int = 200, **context):
    return render(request, template, {"city": city, "form": form, **context}, status=status)


@login_required
def import_observations(request, slug: str):
    city = selectors.city_by_slug(slug)
    require(request, "monitoring.manage_city", city)
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary = services.import_observations(
                city,
                data["file"].read(),
                by=request.user,
                period=data["period"],
                decimal=data["decimal"],
                create_missing_indicators=data["create_missing_indicators"],
                ignore_unknown_columns=data["ignore_unknown_columns"],
            )
        except ImportFailed as failure:
            problems = failure
        else:
            messages.success(
                request,
                _("Imported %(count)s values for %(periods)s; %(indices)s indices recomputed.")
                % {
                    "count": summary.observations,
                    "periods": ", ".join(summary.periods),
                    "indices": len(summary.recomputed),
                },
            )
            return redirect("monitoring:overview", slug=city.slug)
    status = 422 if form.errors or problems else 200
    return _form_page(request, city, form, "monitoring/import.html", status, problems=problems)


@login_required
def import_areas(request, slug: str):
    def run(city, data):
        data = dict(data)
        count = services.import_areas_geojson(
            city, data.pop("file").read(), by=request.user, **data
        )
        overview = reverse("monitoring:overview", args=[city.slug])
        return count, f"{overview}?level={data['level']}"

    return _areas_import(request, slug, AreaImportForm, "monitoring/import_areas.html", run)


@login_required
def import_area_table(request, slug: str):
    def run(city, data):
        count = services.import_areas_table(city, data["file"].read(), by=request.user)
        return count, reverse("monitoring:overview", args=[city.slug])

    return _areas_import(request, slug, AreaTableForm, "monitoring/import_area_table.html", run)


def _areas_import(request, slug: str, form_class, template: str, run):
    """An areas import page: `run(city, cleaned_data)` stores and returns (count, where to go);
    a refused file shows every problem with the form again and stores nothing."""
    city = selectors.city_by_slug(slug)
    require(request, "monitoring.manage_city", city)
    form = form_class(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            count, done = run(city, form.cleaned_data)
        except ImportFailed as failure:
            problems = failure
        else:
            messages.success(request, _("Imported %(count)s areas.") % {"count": count})
            return redirect(done)
    status = 422 if form.errors or problems else 200
    return _form_page(request, city, form, template, status, problems=problems)


@login_required
def indicator_create(request, slug: str):
    city = selectors.city_by_slug(slug)
    require(request, "monitoring.manage_city", city)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_indicator(city, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("monitoring:overview", slug=city.slug)
    status = 422 if form.errors else 200
    return _form_page(request, city, form, "monitoring/indicator_form.html", status)


@login_required
def index_define(request, slug: str):
    city = selectors.city_by_slug(slug)
    require(request, "monitoring.manage_city", city)
    form = IndexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            index = services.define_index(city, form.definition(), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Index saved and computed."))
            for notice in index.notices:
                messages.warning(request, notice)
            return redirect(
                f"{reverse('monitoring:overview', args=[city.slug])}?layer=index:{index.code}"
            )
    status = 422 if form.errors else 200
    return _form_page(request, city, form, "monitoring/index_form.html", status)


def _add_errors(form, error: ValidationError) -> None:
    """Each message next to its field where the form has one, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


class _Echo:
    def write(self, value):
        return value


def _csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = spreadsheet.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(header)
        for row in rows.iterator(chunk_size=5000):
            yield writer.writerow(["" if cell is None else cell for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXPORTS = {
    "areas": (["code", "name", "level", "parent"], selectors.areas_for_export),
    "observations": (["area", "indicator", "period", "value"], selectors.observations_for_export),
    "results": (
        ["index", "area", "period", "sum", "score", "rank", "class", "class_name"],
        selectors.results_for_export,
    ),
}


def export(request, slug: str, what: str):
    city = selectors.city_by_slug(slug)
    if what == "indicators":
        header = ["code", "name", "unit", "source", "higher_is_worse", "description"]
        rows = selectors.indicators_of(city).values_list(
            "code", "name", "unit", "source", "higher_is_worse", "description"
        )
    elif what in EXPORTS:
        header, select = EXPORTS[what]
        rows = select(city)
    else:
        raise Http404(what)
    return _csv_response(f"{city.slug}-{what}.csv", header, rows)
