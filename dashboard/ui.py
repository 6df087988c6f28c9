"""What every page shares: the export, the sidebar filters, cached queries, tables, the footer."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, ParamSpec, TypeVar

import data
import pandas as pd
import streamlit as st
from formatting import month_name

# A figure as the pages write it: '-1,234.56 KZT', '12,345', '93.4%', '95 / 100', or '—'.
FIGURE = re.compile(r"^(-?[\d,]+(\.\d+)?( [A-Z]{3}|%| / 100)?|—)$")
# Cells up to this many characters are never broken over two lines.
SHORT = 22
P = ParamSpec("P")
T = TypeVar("T")

MONTH_KEY = "month"
TEAM_KEY = "team"
ENVIRONMENT_KEY = "env"


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(
    name: str, _function: Callable[..., object], *args: object, **kwargs: object
) -> object:
    """_function(*args, **kwargs), kept by Streamlit under the function's name and arguments."""
    return _function(*args, **kwargs)


def cached(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """function(*args, **kwargs), cached by Streamlit; the Exports argument keys the export."""
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached_call(name, function, *args, **kwargs)  # type: ignore[return-value]


@dataclass(frozen=True)
class Filters:
    month: str | None
    team: str
    environment: str

    @property
    def team_label(self) -> str:
        return "all teams" if self.team == data.ALL else self.team

    @property
    def environment_label(self) -> str:
        return "all environments" if self.environment == data.ALL else self.environment


def exports() -> data.Exports:
    """The export in CHARGEBACK_EXPORT_DIR, read on every rerun: a new export shows at once."""
    return data.load_exports()


class Page(NamedTuple):
    """What a page reads: the export, the sidebar's choices and the reporting currency."""

    source: data.Exports
    chosen: Filters
    currency: str


def page(title: str, caption: str = "", *, team: str | None = None, env: str | None = None) -> Page:
    """Opens a page: the export, the filters and the currency; the title, the filters that do
    not apply with the reason (team, env: see scope_note) and the caption."""
    source = exports()
    chosen = filters()
    currency = cached(data.reporting_currency, source)
    st.title(title)
    scope_note(team=team, env=env)
    if caption:
        st.caption(caption)
    return Page(source, chosen, currency)


def sidebar_filters(source: data.Exports) -> None:
    """The month, team and environment filters, kept in the URL (?month=&team=&env=)."""
    months = cached(data.months, source)
    default = cached(data.default_month, source)
    st.sidebar.header("Filters")
    st.sidebar.selectbox(
        "Month",
        months,
        index=months.index(default) if default in months else None,
        key=MONTH_KEY,
        bind="query-params",
    )
    _one_or_all("Team", "teams", cached(data.teams, source), TEAM_KEY)
    _one_or_all("Environment", "environments", cached(data.environments, source), ENVIRONMENT_KEY)


def _one_or_all(label: str, plural: str, choices: list[str], key: str) -> None:
    """A sidebar choice of one of `choices` or all of them (data.ALL, listed first)."""
    st.sidebar.selectbox(
        label,
        [data.ALL, *choices],
        format_func=lambda choice: f"All {plural}" if choice == data.ALL else choice,
        key=key,
        bind="query-params",
    )


def filters() -> Filters:
    """The sidebar's current choices."""
    return Filters(
        month=st.session_state.get(MONTH_KEY),
        team=st.session_state.get(TEAM_KEY) or data.ALL,
        environment=st.session_state.get(ENVIRONMENT_KEY) or data.ALL,
    )


def scope_note(
    *, month: str | None = None, team: str | None = None, env: str | None = None
) -> None:
    """A caption naming the filters that do not apply to the page, each with the reason."""
    notes = [
        f"The {name} filter does not apply: {reason}."
        for name, reason in (("month", month), ("team", team), ("environment", env))
        if reason
    ]
    if notes:
        st.caption(" ".join(notes))


def no_rows(what: str) -> None:
    st.info(f"No rows: {what}.")


def figure_columns(table: pd.DataFrame) -> list[str]:
    """The columns whose every cell is a written figure (amount, count, percent, score)."""
    return [
        column
        for column in table.columns
        if all(FIGURE.match(str(cell)) for cell in table[column] if str(cell) != "")
    ]


def short_columns(table: pd.DataFrame, longest: int = SHORT) -> list[str]:
    """The columns whose every cell is short enough to keep on one line."""
    return [
        column
        for column in table.columns
        if all(len(str(cell)) <= longest for cell in table[column])
    ]


def show_table(table: pd.DataFrame, *, empty: str) -> None:
    """A plain table (figures written, right-aligned; empty columns left out), or 'No rows'."""
    if table.empty:
        no_rows(empty)
        return
    table = table[[column for column in table.columns if any(str(cell) for cell in table[column])]]
    figures = set(figure_columns(table))
    short = set(short_columns(table))
    # Streamlit sets each cell's alignment itself: the figures' right alignment is important.
    right = "text-align: right !important;"
    unbroken = "white-space: nowrap !important;"
    styles: list[dict[str, str]] = []
    for position, column in enumerate(table.columns):
        cell, heading = f"td.col{position}", f"th.col_heading.col{position}"
        # one selector an entry: pandas scopes each entry to this table's id
        if column in figures:
            styles += [{"selector": cell, "props": right}, {"selector": heading, "props": right}]
        if column in figures or column in short:
            styles += [{"selector": part, "props": unbroken} for part in (cell, f"{cell} p")]
    styled = table.style.set_table_styles(styles)
    st.table(styled, hide_index=True)


def with_total(table: pd.DataFrame, cells: Mapping[str, str]) -> pd.DataFrame:
    """The table with a last row of totals: `cells` by column, the other columns blank."""
    total = {column: "" for column in table.columns} | dict(cells)
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def formatted(
    frame: pd.DataFrame, columns: Mapping[str, tuple[str, Callable[[object], str]]]
) -> pd.DataFrame:
    """The columns of `frame` as text, renamed: {column: (label, formatter)}."""
    return pd.DataFrame(
        {
            label: [write(value) for value in frame[column]]
            for column, (label, write) in columns.items()
        }
    )


def need_month(chosen: Filters) -> str | None:
    """The chosen month, or None after saying that there is no month to show."""
    if chosen.month is None:
        no_rows("the export has no month with charges, ledger rows or invoices")
    return chosen.month


def month_table(
    source: data.Exports,
    chosen: Filters,
    month: str,
    query: Callable[[data.Exports, str, str, str], pd.DataFrame],
    *,
    empty: str,
) -> pd.DataFrame | None:
    """Under a subheader naming the month and the filters, the query's rows for them; None
    after 'No rows: <empty> in <month> for these filters' when there are none."""
    st.subheader(f"{month_name(month)}, {chosen.team_label}, {chosen.environment_label}")
    table = cached(query, source, month, chosen.team, chosen.environment)
    if table.empty:
        no_rows(f"{empty} in {month_name(month)} for these filters")
        return None
    return table


def footer(source: data.Exports, currency: str) -> None:
    """The last element of every page: where the figures come from (the browser test awaits it)."""
    st.divider()
    exported = source.exported_at.replace("T", " ")[:16] + " UTC" if source.exported_at else "?"
    folder = source.folder
    if folder.is_relative_to(Path.cwd()):
        folder = folder.relative_to(Path.cwd())
    amounts = (
        f" Amounts in {currency} unless marked otherwise, rounded to the cent." if currency else ""
    )
    st.caption(
        f"Source: the Parquet export of the marts in {folder}, exported {exported}.{amounts}"
    )
