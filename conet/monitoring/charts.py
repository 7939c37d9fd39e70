"""Small charts drawn on the server as SVG: no script, readable without JavaScript, printable.

Each function returns the numbers a template needs to draw the chart; the template writes the SVG.
"""

import numpy as np

WIDTH, HEIGHT, PAD = 320, 120, 24
HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT = 640, 220


def _scale(value: float, low: float, high: float, size: float) -> float:
    if high == low:
        return size / 2
    return (value - low) / (high - low) * size


def line_chart(series: list[tuple[str, float]]) -> dict | None:
    """A time series: one point per period, left to right. None with fewer than two points."""
    if len(series) < 2:
        return None
    values = [value for _period, value in series]
    low, high = min(values), max(values)
    step = (WIDTH - 2 * PAD) / (len(series) - 1)
    points = []
    for n, (period, value) in enumerate(series):
        x = PAD + n * step
        y = HEIGHT - PAD - _scale(value, low, high, HEIGHT - 2 * PAD)
        points.append({"x": round(x, 1), "y": round(y, 1), "period": period, "value": value})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "path": " ".join(f"{p['x']},{p['y']}" for p in points),
        "low": low,
        "high": high,
        "baseline": HEIGHT - PAD,
    }


def histogram(values: list[float], bins: int = 20) -> dict | None:
    """The distribution of one indicator across areas, as bars of equal width (twice the size of a
    line chart: it stands alone on its page)."""
    if not values:
        return None
    counts, edges = np.histogram(np.asarray(values, dtype=float), bins=bins)
    tallest = max(int(counts.max()), 1)
    width = (HISTOGRAM_WIDTH - 2 * PAD) / len(counts)
    bars = []
    for n, count in enumerate(counts):
        height = int(count) / tallest * (HISTOGRAM_HEIGHT - 2 * PAD)
        bars.append(
            {
                "x": round(PAD + n * width, 1),
                "y": round(HISTOGRAM_HEIGHT - PAD - height, 1),
                "width": round(max(width - 1, 1), 1),
                "height": round(height, 1),
                "count": int(count),
                "low": float(edges[n]),
                "high": float(edges[n + 1]),
            }
        )
    return {
        "width": HISTOGRAM_WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "bars": bars,
        "low": float(edges[0]),
        "high": float(edges[-1]),
        "baseline": HISTOGRAM_HEIGHT - PAD,
    }
