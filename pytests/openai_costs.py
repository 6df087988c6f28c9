"""Pages of OpenAI's Costs API (GET /v1/organization/costs) in the shape its reference
documents: daily buckets of cost results, one page with no more to follow."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import datetime
from typing import Any


def epoch(day: str) -> int:
    """The start of a UTC day (YYYY-MM-DD) in Unix seconds, as the API gives bucket bounds."""
    return calendar.timegm(datetime.fromisoformat(f"{day}T00:00:00").timetuple())


def cost_result(value: float, line_item: str, project_id: str) -> dict[str, Any]:
    """One cost result: an amount in USD for a line item of a project."""
    return {
        "object": "organization.costs.result",
        "amount": {"value": value, "currency": "usd"},
        "line_item": line_item,
        "project_id": project_id,
    }


def cost_page(buckets: Sequence[tuple[str, Sequence[dict[str, Any]]]]) -> dict[str, Any]:
    """A last page of daily buckets, each a day (YYYY-MM-DD) and its cost results."""
    return {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": epoch(day),
                "end_time": epoch(day) + 86_400,
                "results": list(results),
            }
            for day, results in buckets
        ],
        "has_more": False,
        "next_page": None,
    }
