"""Calls of the demo company that a late import lands after their month was built: the sales
copilot drafting emails on Claude 3.5 Haiku, tagged like the demo's own calls."""

from __future__ import annotations

from typing import Any


def late_sales_email_drafts(
    count: int,
    *,
    request_prefix: str,
    month: str,
    first_day: int,
    days: int,
    api_key_id: str,
    input_tokens: int,
    output_tokens: int,
) -> list[dict[str, Any]]:
    """`count` successful calls at 9:00 UTC, spread over `days` days of `month` (YYYY-MM) from
    `first_day` on, each with the same tokens."""
    return [
        {
            "request_id": f"{request_prefix}-{number}",
            "occurred_at": f"{month}-{first_day + number % days:02d}T09:00:00Z",
            "provider": "anthropic",
            "model": "claude-3-5-haiku-20241022",
            "api_key_id": api_key_id,
            "status_code": 200,
            "attempt_number": 1,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "team": "sales",
            "product": "sales_copilot",
            "environment": "prod",
            "scenario": "email_draft",
        }
        for number in range(count)
    ]
