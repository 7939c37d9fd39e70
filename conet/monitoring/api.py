"""API for a city's monitoring data: areas, indicators, observations, composite indices and results."""

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conet.api.auth import WRITE_AUTH
from conet.monitoring import selectors, services
from conet.monitoring.models import Area, CompositeIndex, IndexResult, Observation
from conet.monitoring.readers import ImportFailed

router = Router(tags=["monitoring"])
MAX_AREAS_PER_REQUEST = 50_000  # England's 32,844 areas in one request


class AreaOut(Schema):
    code: str
    name: str
    level: str = Field(..., alias="level.code")
    parent: str | None = None

    @staticmethod
    def resolve_parent(area) -> str | None:
        return area.parent.code if area.parent_id else None


class AreaDetail(AreaOut):
    geometry: dict | None


class AreaIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    level: str = Field(
        ..., max_length=40, description="The level's code; a new code makes a level."
    )
    parent: str = Field("", max_length=40, description="The code of the larger area it lies in.")
    geometry: dict | None = Field(
        None,
        description="A GeoJSON Polygon or MultiPolygon in WGS 84; leave it out to keep the shape "
        "the area has (or to have none yet).",
    )


class AreasIn(Schema):
    areas: list[AreaIn] = Field(..., max_length=MAX_AREAS_PER_REQUEST)


class AreasSaved(Schema):
    saved: int


class MonitoringIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    source: str
    description: str
    higher_is_worse: bool
    language: str


class MonitoringIndicatorIn(Schema):
    code: str
    name: str
    unit: str = ""
    source: str = ""
    description: str = ""
    higher_is_worse: bool = True
    language: str = "en"


class ObservationOut(Schema):
    area: str = Field(..., alias="area.code")
    indicator: str = Field(..., alias="indicator.code")
    period: str
    value: float


class ComponentOut(Schema):
    indicator: str = Field(..., alias="indicator.code")
    weight: float


class ComponentIn(Schema):
    indicator: str
    weight: float = 1.0


class IndexOut(Schema):
    code: str
    name: str
    description: str
    method: str
    components: list[ComponentOut] = Field(..., alias="components.all")
    cutoffs: list[float]
    class_labels: list[str]
    class_colours: list[str]
    population_indicator: str | None = None
    population_threshold: float | None
    row_index: str | None = None
    column_index: str | None = None
    notices: list[str] = Field(
        default_factory=list,
        description="How the definition just saved was read, e.g. weights given as percentages.",
    )

    @staticmethod
    def resolve_population_indicator(index) -> str | None:
        return index.population_indicator.code if index.population_indicator_id else None

    @staticmethod
    def resolve_row_index(index) -> str | None:
        return index.row_index.code if index.row_index_id else None

    @staticmethod
    def resolve_column_index(index) -> str | None:
        return index.column_index.code if index.column_index_id else None


class IndexIn(Schema):
    code: str
    name: str
    method: CompositeIndex.Method
    description: str = ""
    components: list[ComponentIn] = []
    cutoffs: list[float] = []
    class_labels: list[str] = []
    class_colours: list[str] = []
    population_indicator: str = ""
    population_threshold: float | None = None
    row_index: str = ""
    column_index: str = ""


class ResultOut(Schema):
    area: str = Field(..., alias="area.code")
    period: str
    total: float | None
    score: float | None
    rank: int | None
    class_number: int
    class_label: str


class ImportOut(Schema):
    observations: int
    periods: list[str]
    indicators: list[str]
    created_indicators: list[str]
    skipped_columns: list[str]
    recomputed: dict[str, int]


class ProblemOut(Schema):
    row: int | None
    column: str
    message: str


class ImportRefused(Schema):
    detail: str
    problems: list[ProblemOut]


@router.get("/cities/{slug}/areas", response=list[AreaOut])
@paginate
def list_areas(request, slug: str, level: str = ""):
    city = selectors.city_by_slug(slug)
    areas = Area.objects.filter(city=city).select_related("level", "parent").order_by("code")
    return areas.filter(level__code=level) if level else areas


@router.post(
    "/cities/{slug}/areas", response={201: AreasSaved, 422: ImportRefused}, auth=WRITE_AUTH
)
def save_area_list(request, slug: str, payload: AreasIn):
    """Create or update areas by code, all or none. Shapes are optional: send an area again with a
    `geometry` to add its shape later."""
    city = selectors.city_by_slug(slug)
    rows = [
        services.AreaRow(
            a.code.strip(), a.name.strip(), a.level.strip(), a.parent.strip(), a.geometry
        )
        for a in payload.areas
    ]
    try:
        return 201, {"saved": services.save_area_list(city, rows, by=request.user)}
    except ImportFailed as failure:
        return 422, _refused(failure)


@router.get("/cities/{slug}/areas/{code}", response=AreaDetail)
def get_area(request, slug: str, code: str):
    city = selectors.city_by_slug(slug)
    return get_object_or_404(Area.objects.select_related("level", "parent"), city=city, code=code)


@router.get("/cities/{slug}/indicators", response=list[MonitoringIndicatorOut])
def list_indicators(request, slug: str):
    return selectors.indicators_of(selectors.city_by_slug(slug))


@router.post("/cities/{slug}/indicators", response={201: MonitoringIndicatorOut}, auth=WRITE_AUTH)
def create_indicator(request, slug: str, payload: MonitoringIndicatorIn):
    city = selectors.city_by_slug(slug)
    return 201, services.create_indicator(city, by=request.user, **payload.dict())


@router.get("/cities/{slug}/observations", response=list[ObservationOut])
@paginate
def list_observations(request, slug: str, indicator: str = "", period: str = "", area: str = ""):
    city = selectors.city_by_slug(slug)
    observations = Observation.objects.filter(indicator__city=city).select_related(
        "area", "indicator"
    )
    if indicator:
        observations = observations.filter(indicator__code=indicator)
    if period:
        observations = observations.filter(period=period)
    if area:
        observations = observations.filter(area__code=area)
    return observations.order_by("indicator__code", "period", "area__code")


@router.post(
    "/cities/{slug}/observations/import",
    response={200: ImportOut, 422: ImportRefused},
    auth=WRITE_AUTH,
)
def import_observations(
    request,
    slug: str,
    file: File[UploadedFile],
    period: Form[str] = "",
    decimal: Form[str] = "auto",
    create_missing_indicators: Form[bool] = False,
    ignore_unknown_columns: Form[bool] = False,
):
    """A CSV file of observations (multipart/form-data, field `file`); see docs/monitoring.md."""
    city = selectors.city_by_slug(slug)
    try:
        return 200, services.import_observations(
            city,
            file.read(),
            by=request.user,
            period=period,
            decimal=decimal if decimal in {"auto", ".", ","} else "auto",
            create_missing_indicators=create_missing_indicators,
            ignore_unknown_columns=ignore_unknown_columns,
        )
    except ImportFailed as failure:
        return 422, _refused(failure)


def _refused(failure: ImportFailed) -> dict:
    return {
        "detail": " ".join(failure.messages[:1]) or "refused",
        "problems": [problem.as_dict() for problem in failure.problems.items],
    }


@router.get("/cities/{slug}/indices", response=list[IndexOut])
def list_indices(request, slug: str):
    return selectors.indices_of(selectors.city_by_slug(slug))


@router.post("/cities/{slug}/indices", response={201: IndexOut}, auth=WRITE_AUTH)
def define_index(request, slug: str, payload: IndexIn):
    city = selectors.city_by_slug(slug)
    data = payload.dict()
    data["method"] = CompositeIndex.Method(data["method"]).value
    data["components"] = [(c["indicator"], c["weight"]) for c in data["components"]]
    definition = services.IndexDefinition(**data)
    saved = services.define_index(city, definition, by=request.user)
    index = selectors.indices_of(city).get(code=definition.code)
    index.notices = list(saved.notices)
    return 201, index


@router.get("/cities/{slug}/indices/{code}/results", response=list[ResultOut])
@paginate
def list_results(request, slug: str, code: str, period: str = ""):
    city = selectors.city_by_slug(slug)
    index = get_object_or_404(CompositeIndex, city=city, code=code)
    results = IndexResult.objects.filter(index=index).select_related("area")
    if period:
        results = results.filter(period=period)
    return results.order_by("period", "area__code")
