"""Berlin's Monitoring Soziale Stadtentwicklung 2021 as demo data: 542 planning areas in four levels,
the published z-values and context indicators, and the status, dynamics and group indices computed
from them with the z-score method.

The tables ship with the app in conet/monitoring/data/berlin_mss_2021/ (a copy of the project's
shared/data; CONET_BERLIN_MSS_DIR points elsewhere). The planning areas' own shapes are not
available offline; the real shapes of Berlin's 58 forecast areas (LOR 2021, Geoportal Berlin,
dl-de/by-2-0) are, in data/berlin_lor_2021/, so the map shows the status classes per forecast area
(the class of most of its residents, and the share of its planning areas in each class).
"""

import csv
import io
import os
from pathlib import Path

from django.db import transaction

from conet.monitoring.models import Area, AreaLevel, CompositeIndex, Indicator
from conet.monitoring.readers import read_geojson
from conet.monitoring.services import (
    AreaRow,
    IndexDefinition,
    ensure_level,
    save_areas,
    save_index_definition,
    store_observations,
)
from conet.networks.models import City

PERIOD = "2021"
SOURCE = "Monitoring Soziale Stadtentwicklung Berlin 2021 (Senatsverwaltung für Stadtentwicklung)"
Z_VALUES = "mss_2021_index-indikatoren_z-werte_plr.csv"
CONTEXT = "mss_2021_kontext-indikatoren_anteile_plr.csv"
LOR = "LOR_2021.csv"
FORECAST_SHAPES = (
    Path(__file__).resolve().parent / "data" / "berlin_lor_2021" / "lor_prognoseraeume_2021.geojson"
)
SHAPES_SOURCE = "Geoportal Berlin / LOR 2021 (dl-de/by-2-0)"

# code, name (as the Senate's tables name them), unit, higher means more deprived
INDICATORS = [
    ("EW", "Einwohnerinnen und Einwohner (31.12.2020)", "persons", False),
    ("zS1", "S1 Arbeitslosigkeit (SGB II), z-Wert", "z", True),
    ("zS3", "S3 Transferbezug (SGB II und XII, ohne Arbeitslose), z-Wert", "z", True),
    ("zS4", "S4 Kinderarmut (unter 15-Jährige in SGB-II-Bedarfsgemeinschaften), z-Wert", "z", True),
    ("zD1", "D1 Veränderung der Arbeitslosigkeit (zwei Jahre), z-Wert", "z", True),
    ("zD3", "D3 Veränderung des Transferbezugs (zwei Jahre), z-Wert", "z", True),
    ("zD4", "D4 Veränderung der Kinderarmut (zwei Jahre), z-Wert", "z", True),
]
# The context indicators as the MSS 2021 names them (Indikatorenblätter zum MSS 2021; the column
# order of table 4.1 "KontextInd_MSS2021"): code → name, unit, higher means more deprived,
# definition. Stocks on 31.12.2020, changes and migration over 31.12.2018–31.12.2020. K04, K05,
# K16 and K17 describe the population and say nothing of deprivation; they keep the default
# direction, which the model cannot leave open (see docs/monitoring.md).
CONTEXT_INDICATORS = {
    "K01": (
        "Jugendarbeitslosigkeit",
        "%",
        True,
        "Anteil der Arbeitslosen unter 25 Jahren (SGB II und III) an den 15- bis unter "
        "25-Jährigen.",
    ),
    "K02": ("Alleinerziehende Haushalte", "%", True, "Anteil der Haushalte von Alleinerziehenden."),
    "K03": (
        "Altersarmut",
        "%",
        True,
        "Anteil der Empfängerinnen und Empfänger von Grundsicherung (SGB XII, Kap. 4, außerhalb "
        "von Einrichtungen) ab 65 Jahren an allen ab 65-Jährigen.",
    ),
    "K04": (
        "Kinder und Jugendliche mit Migrationshintergrund",
        "%",
        True,
        "Anteil der unter 18-Jährigen mit Migrationshintergrund an allen unter 18-Jährigen.",
    ),
    "K05": (
        "Einwohnerinnen und Einwohner mit Migrationshintergrund",
        "%",
        True,
        "Anteil der Einwohnerinnen und Einwohner mit Migrationshintergrund.",
    ),
    "K16": (
        "Ausländerinnen und Ausländer",
        "%",
        True,
        "Anteil der Ausländerinnen und Ausländer an den Einwohnerinnen und Einwohnern.",
    ),
    "K06": (
        "Veränderung des Ausländeranteils",
        "percentage points",
        True,
        "Veränderung des Anteils der Ausländerinnen und Ausländer an den Einwohnerinnen und "
        "Einwohnern vom 31.12.2018 zum 31.12.2020.",
    ),
    "K17": (
        "Nicht-EU-Ausländerinnen und -Ausländer",
        "%",
        True,
        "Anteil der Nicht-EU-Ausländerinnen und -Ausländer an den Ausländerinnen und Ausländern.",
    ),
    "K07": (
        "Ausländische Transferbeziehende (SGB II)",
        "%",
        True,
        "Ausländische Beziehende von Leistungen nach SGB II.",
    ),
    "K09": (
        "Einfache Wohnlage",
        "%",
        True,
        "Anteil der Einwohnerinnen und Einwohner in einfacher Wohnlage (mit Lärmbelastung durch "
        "Straßenverkehr).",
    ),
    "K10": (
        "Wohndauer über 5 Jahre",
        "%",
        False,
        "Anteil der Einwohnerinnen und Einwohner, die seit mindestens fünf Jahren an derselben "
        "Adresse gemeldet sind.",
    ),
    "K11": (
        "Wanderungsvolumen",
        "% per year",
        True,
        "Zuzüge plus Fortzüge je 100 Einwohnerinnen und Einwohner, Durchschnitt 2019–2020.",
    ),
    "K12": (
        "Wanderungssaldo",
        "% per year",
        False,
        "Zuzüge minus Fortzüge je 100 Einwohnerinnen und Einwohner, Durchschnitt 2019–2020.",
    ),
    "K13": (
        "Wanderungssaldo von Kindern unter 6 Jahren",
        "% per year",
        False,
        "Zuzüge minus Fortzüge der unter 6-Jährigen je 100 unter 6-Jährige, Durchschnitt "
        "2019–2020.",
    ),
}
Z_COLUMNS = {"PLR-ID": "area", "EW 31.12.2020": "EW"}
STATUS_LABELS = ["high", "medium", "low", "very low"]
STATUS_COLOURS = ["#1a9850", "#fee08b", "#fc8d59", "#d73027"]
DYNAMICS_LABELS = ["positive", "stable", "negative"]
DYNAMICS_COLOURS = ["#1a9850", "#fee08b", "#d73027"]


def data_dir() -> Path:
    configured = os.environ.get("CONET_BERLIN_MSS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent / "data" / "berlin_mss_2021"


def _lor_rows(folder: Path) -> list[AreaRow]:
    districts, forecast, regions, planning = {}, {}, {}, []
    with open(folder / LOR, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["Planungsraum (Nummer)"].strip()
            district = code[:2]
            districts[district] = AreaRow(district, row["Bezirk"].strip(), "district")
            pgr = row["Prognoseraum (Nummer)"].strip()
            forecast[pgr] = AreaRow(
                pgr, row["Prognoseraum (Name)"].strip(), "forecast-area", district
            )
            bzr = row["Bezirksregion (Nummer)"].strip()
            regions[bzr] = AreaRow(bzr, row["Bezirksregion (Name)"].strip(), "district-region", pgr)
            planning.append(AreaRow(code, row["Planungsraum (Name)"].strip(), "planning-area", bzr))
    return [*districts.values(), *forecast.values(), *regions.values(), *planning]


def _context_codes(folder: Path) -> list[str]:
    with open(folder / CONTEXT, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    return [name.strip() for name in header if name.strip().startswith("K")]


def _without_columns(path: Path, keep: set[str]) -> bytes:
    """The table with only the columns the demo stores (the published sums and classes are left out:
    the demo computes them)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    positions = [n for n, name in enumerate(rows[0]) if name.strip() in keep]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([row[n] if n < len(row) else "" for n in positions])
    return out.getvalue().encode()


def _name_context_indicators(city: City) -> None:
    """Give a demo loaded before the names were known ("Context indicator K01") the MSS's names."""
    for indicator in Indicator.objects.filter(city=city, name__startswith="Context indicator K"):
        if indicator.code in CONTEXT_INDICATORS:
            name, unit, worse, definition = CONTEXT_INDICATORS[indicator.code]
            indicator.name, indicator.unit = f"{indicator.code} {name}", unit
            indicator.higher_is_worse, indicator.description = worse, definition
            indicator.save(update_fields=["name", "unit", "higher_is_worse", "description"])


@transaction.atomic
def load_monitoring_demo() -> dict:
    """Load Berlin's MSS 2021 into the city "berlin". Idempotent: does nothing once the indices exist."""
    folder = data_dir()
    city = City.objects.filter(slug="berlin").first()
    if city is None or not (folder / Z_VALUES).exists():
        return {"loaded": False, "reason": "missing", "folder": str(folder)}
    if CompositeIndex.objects.filter(city=city, code="mss-status").exists():
        _name_context_indicators(city)
        shapes = _add_forecast_shapes(city)
        return {"loaded": False, "reason": "present", "folder": str(folder), "shapes": shapes}
    for position, (code, name) in enumerate(
        [
            ("planning-area", "Planning area (Planungsraum)"),
            ("district-region", "District region (Bezirksregion)"),
            ("forecast-area", "Forecast area (Prognoseraum)"),
            ("district", "District (Bezirk)"),
        ]
    ):
        ensure_level(city, code, name, position)
    areas = save_areas(city, _lor_rows(folder))
    context = _context_codes(folder)
    Indicator.objects.bulk_create(
        [
            Indicator(
                city=city, code=code, name=name, unit=unit, source=SOURCE, higher_is_worse=worse
            )
            for code, name, unit, worse in INDICATORS
        ]
        + [
            Indicator(
                city=city,
                code=code,
                name=f"{code} {name}",
                unit=unit,
                source=SOURCE,
                description=definition,
                higher_is_worse=worse,
            )
            for code in context
            for name, unit, worse, definition in [
                CONTEXT_INDICATORS.get(code, (f"Kontextindikator {code}", "%", True, ""))
            ]
        ]
    )
    z_codes = [code for code, *_rest in INDICATORS if code != "EW"]
    observations = store_observations(
        city,
        _without_columns(folder / Z_VALUES, {"PLR-ID", "EW 31.12.2020", *z_codes}),
        period=PERIOD,
        column_map=Z_COLUMNS,
    ).observations
    observations += store_observations(
        city,
        _without_columns(folder / CONTEXT, {"PLR-ID", *context}),
        period=PERIOD,
        column_map=Z_COLUMNS,
    ).observations
    for definition in [
        IndexDefinition(
            code="mss-status",
            name="MSS status index",
            method="zscore",
            components=[("zS1", 1.0), ("zS3", 1.0), ("zS4", 1.0)],
            cutoffs=[-1.0, 1.0, 1.5],
            class_labels=STATUS_LABELS,
            class_colours=STATUS_COLOURS,
            population_indicator="EW",
            population_threshold=300,
        ),
        IndexDefinition(
            code="mss-dynamics",
            name="MSS dynamics index",
            method="zscore",
            components=[("zD1", 1.0), ("zD3", 1.0), ("zD4", 1.0)],
            cutoffs=[-1.0, 1.0],
            class_labels=DYNAMICS_LABELS,
            class_colours=DYNAMICS_COLOURS,
            population_indicator="EW",
            population_threshold=300,
        ),
        IndexDefinition(
            code="mss-group",
            name="MSS status and dynamics group",
            method="matrix",
            row_index="mss-status",
            column_index="mss-dynamics",
        ),
    ]:
        save_index_definition(city, definition)
    shapes = _add_forecast_shapes(city)
    return {"loaded": True, "areas": areas, "observations": observations, "shapes": shapes}


def _add_forecast_shapes(city: City) -> int:
    """The real shapes of the forecast areas, once (a demo loaded earlier gets them too)."""
    level = AreaLevel.objects.filter(city=city, code="forecast-area").first()
    if level is None or not FORECAST_SHAPES.exists():
        return 0
    if Area.objects.filter(level=level, west__isnull=False).exists():
        return 0
    shapes = read_geojson(
        FORECAST_SHAPES.read_bytes(), code_property="PGR_ID", name_property="PGR_NAME"
    )
    existing = {area.code: area for area in Area.objects.filter(level=level)}
    changed = []
    for shape in shapes:
        area = existing.get(shape.code)
        if area is not None:
            area.geometry = shape.geometry
            area.set_bounds()
            changed.append(area)
    Area.objects.bulk_update(changed, ["geometry", "west", "south", "east", "north"])
    level.shapes_source = SHAPES_SOURCE
    level.save(update_fields=["shapes_source"])
    return len(changed)
