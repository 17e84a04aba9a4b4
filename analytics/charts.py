"""Chart geometry for the server-drawn SVG charts (templates/analytics/_chart_*.html).

The SVG's viewBox is 400 units wide, about a phone's width, so its text stays legible when
it scales to a 360 px screen; the CSS caps how wide it grows on a desktop.
"""

from dataclasses import dataclass
from decimal import Decimal

from config.money import compact_naira

WIDTH = 400
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 58, 10, 14, 32
MAX_X_LABELS = 6
ROW_HEIGHT = 38


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value` (the axis top)."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    show_label: bool


def revenue_chart(points) -> dict:
    """Bars of revenue per bucket and a line of sales counts over them."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(points), 1)
    slot = plot_width / count
    top_revenue = _nice_ceiling(max((p.revenue for p in points), default=Decimal(0)))
    top_orders = max(max((p.orders for p in points), default=0), 1)
    every = max(1, -(-count // MAX_X_LABELS))
    bars, dots = [], []
    for index, point in enumerate(points):
        height = float(Decimal(point.revenue) / top_revenue) * plot_height
        x = LEFT + index * slot
        bars.append(
            Bar(
                x=round(x + slot * 0.15, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(max(slot * 0.7, 1), 1),
                height=round(height, 1),
                label=point.label,
                show_label=index % every == 0,
            )
        )
        dots.append(
            (round(x + slot / 2, 1), round(TOP + plot_height - point.orders / top_orders * plot_height, 1))
        )
    ticks = [
        {
            "y": round(TOP + plot_height - plot_height * share, 1),
            "label": compact_naira(top_revenue * Decimal(str(share))),
        }
        for share in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 10,
        "bars": bars,
        "line": " ".join(f"{x},{y}" for x, y in dots),
        "dots": dots,
        "ticks": ticks,
        "top_orders": top_orders,
    }


def ranking_chart(rows, *, value: str = "revenue", money: bool = True) -> dict:
    """Horizontal bars, one per row, the label above its bar and the value beside it."""
    top = max((Decimal(row[value] or 0) for row in rows), default=Decimal(0)) or Decimal(1)
    usable = WIDTH - 100
    items = []
    for index, row in enumerate(rows):
        amount = Decimal(row[value] or 0)
        width = float(amount / top) * usable
        items.append(
            {
                "label": row.get("label") or row.get("key") or "",
                "label_y": index * ROW_HEIGHT + 15,
                "bar_y": index * ROW_HEIGHT + 20,
                "width": round(max(width, 1), 1),
                "value_x": round(max(width, 1) + 6, 1),
                "value": compact_naira(amount) if money else f"{amount:,.0f}",
            }
        )
    return {"width": WIDTH, "height": max(len(items), 1) * ROW_HEIGHT + 4, "items": items}
