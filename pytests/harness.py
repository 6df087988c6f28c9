"""Builds the dbt project on a landing set of a test's own, in a folder of the test's own.

The project (models, macros, seeds, tests, analyses) is copied into the test's temporary
folder, seeds can be replaced by the test, and dbt runs there with its own DuckDB file and
landing folder, so tests never touch the demo warehouse or each other.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import msgpack

from chargeback.dbt_command import copy_project
from chargeback.landing.duckdb_functions import register

# The checkout these tests belong to (not necessarily the one the package was installed from)
PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Seeds that isolate a test from the generated price catalogue and the demo's contract: no
# matching rules (model ids stay as logged, after model_aliases) and no contract prices.
NO_MATCH_RULES = (
    "provider,rule_rank,rule_id,condition_kind,pattern,model,price_provider,catalogue_version"
)
NO_CONTRACTS = (
    "provider,model,valid_from,valid_to,input_per_mtok,cache_read_per_mtok,cache_write_per_mtok,"
    "cache_write_1h_per_mtok,output_per_mtok,discount_pct,contract_reference"
)
PRICE_HEADER = (
    "provider,model,processing,above_input_tokens,valid_from,valid_to,currency,input_per_mtok,"
    "cache_read_per_mtok,cache_write_per_mtok,cache_write_1h_per_mtok,output_per_mtok,"
    "price_source,catalogue_version,not_modelled"
)
# The columns of a provider invoice CSV (landing/invoices/).
INVOICE_HEADER = [
    "invoice_id", "provider", "billing_period_start", "billing_period_end", "line_id",
    "line_description", "model", "token_type", "quantity", "unit", "amount", "currency",
    "charge_category",
]  # fmt: skip


# What the shared small demo (conftest.py) is built and read with: at 8,000 requests the
# demo's last, partial local month is below the production tag threshold.
SMALL_DEMO_VARIABLES = {
    "chargeback__min_tagged_spend_share": 0,
    "chargeback__max_unpriced_share": 0.05,
}

# What a test's own small landing set is built and read with: the US dollars and UTC days its
# records are written in, and no share of untagged or unpriced spend that fails the build (a
# handful of calls made for one test is not a month of production).
SMALL_LANDING_VARIABLES = {
    "chargeback__reporting_currency": "USD",
    "chargeback__reporting_timezone": "UTC",
    "chargeback__min_tagged_spend_share": 0,
    "chargeback__max_unpriced_share": 1,
}

# A model's standard prices in a test, USD per million tokens: input, cache read, cache write
# (5 minutes), cache write (1 hour), output; "" where the model has none.
Prices = tuple[str, str, str, str, str]


def isolated_price_seeds(prices: Mapping[tuple[str, str], Prices]) -> dict[str, str]:
    """The seeds that price a test's calls with `prices` alone, by (provider, model), from
    2025-01-01: no matching rules, no contract prices and no FX rates."""
    rows = [
        f"{provider},{model},standard,0,2025-01-01,,USD,{','.join(price)},test prices,test==1,"
        for (provider, model), price in prices.items()
    ]
    return {
        "model_prices": "\n".join([PRICE_HEADER, *rows]),
        "model_match_rules": NO_MATCH_RULES,
        "contract_prices": NO_CONTRACTS,
        "fx_rates": "rate_date,from_currency,to_currency,rate,source\n",
    }


DATABASE = Path("warehouse") / "test.duckdb"
PARSE_STATE = Path("target") / "partial_parse.msgpack"


class ParsedProjects:
    """dbt's parsed project (target/partial_parse.msgpack), kept from the first copy that
    parsed it with a set of variables and lent to every later copy run with the same ones: the
    copies hold the same files but the seeds a test replaced, so dbt re-parses only those
    instead of the whole project (10 to 20 s a copy). The kept files live in one folder that
    the parallel test workers share (conftest.py points it there), so a set of variables is
    parsed once per test session, not once per worker. dbt checks what it lends: a change of
    variables, profile or files is parsed again, as it would be without the loan.

    The parsed project names the folder it was parsed in (each node's project_root, and the
    root_path dbt-duckdb loads a seed's CSV from), so a loan names the borrower's folder
    instead of the keeper's: without that, a copy loaded the seeds it had not replaced from the
    keeper's folder, and a keeper that edited a seed after its first build (the closing test
    adds a contract discount) changed the prices of every later copy on its worker."""

    def __init__(self) -> None:
        self.folder: Path | None = None

    def share(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    @staticmethod
    def key(variables: Mapping[str, Any] | None) -> str:
        return json.dumps(dict(variables or {}), sort_keys=True, default=str)

    def kept(self, key: str) -> Path:
        if self.folder is None:
            self.share(Path(tempfile.mkdtemp(prefix="dbt_parsed_")))
        assert self.folder is not None
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.msgpack"

    def lend(self, key: str, root: Path) -> None:
        state, kept = root / PARSE_STATE, self.kept(key)
        keeper = kept.with_suffix(".root")
        if kept.exists() and keeper.exists() and not state.exists():
            state.parent.mkdir(parents=True, exist_ok=True)
            parsed = msgpack.unpackb(kept.read_bytes(), raw=False, strict_map_key=False)
            moved = moved_to(parsed, keeper.read_text(), str(root.resolve()))
            state.write_bytes(msgpack.packb(moved))

    def keep(self, key: str, root: Path) -> None:
        state, kept = root / PARSE_STATE, self.kept(key)
        if kept.exists() or not state.exists():
            return
        # written aside and renamed, so that another worker never reads half a file; the
        # keeper's folder first, so that a kept state always has it
        for target, write in (
            (kept.with_suffix(".root"), lambda path: path.write_text(str(root.resolve()))),
            (kept, lambda path: shutil.copy2(state, path)),
        ):
            partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.tmp")
            write(partial)
            os.replace(partial, target)


def moved_to(value: Any, old_root: str, new_root: str) -> Any:
    """`value` (dbt's parsed project, as msgpack reads it) with every path in `old_root`
    moved to `new_root`."""
    if isinstance(value, dict):
        return {key: moved_to(item, old_root, new_root) for key, item in value.items()}
    if isinstance(value, list):
        return [moved_to(item, old_root, new_root) for item in value]
    if isinstance(value, str) and (value == old_root or value.startswith(old_root + os.sep)):
        return new_root + value[len(old_root) :]
    return value


PARSED_PROJECTS = ParsedProjects()


# When set, each dbt command of the tests appends a line to this file: the test that ran it,
# its seconds and its arguments (where the suite's time goes).
DBT_TIME_LOG = os.environ.get("CHARGEBACK_DBT_TIME_LOG")


def log_dbt_time(arguments: Sequence[str], seconds: float) -> None:
    if DBT_TIME_LOG:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        with open(DBT_TIME_LOG, "a") as log:
            line = {"test": test, "seconds": round(seconds, 1), "arguments": list(arguments)}
            log.write(json.dumps(line) + "\n")


@dataclass(frozen=True)
class DbtRun:
    """What one dbt command did: its exit code and its console output."""

    returncode: int
    output: str

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


@contextmanager
def process_state(directory: Path, environment: Mapping[str, str]) -> Iterator[None]:
    """The working directory and environment variables of this process, set for the time of
    one dbt command and restored after it (a test worker runs one command at a time)."""
    saved_directory, saved_environment = Path.cwd(), dict(os.environ)
    os.chdir(directory)
    os.environ.clear()
    os.environ.update(environment)
    try:
        yield
    finally:
        os.chdir(saved_directory)
        os.environ.clear()
        os.environ.update(saved_environment)


def release_duckdb_file() -> None:
    """Closes the DuckDB database dbt-duckdb keeps for the process. A dbt process ends when
    its command does and the file is free; in this process dbt-duckdb keeps the last
    database open for the next command, and the test's own read-only connection to the same
    file would be refused."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
        DuckDBConnectionManager._ENV = None


def in_process_dbt(command: Sequence[str], root: Path, environment: Mapping[str, str]) -> DbtRun:
    """`dbt <command>` in the project copy `root`, in this process (dbt's programmatic
    runner), with the copy's environment and its console output kept as a subprocess's
    would be. A test worker imports and starts dbt once instead of once per command: the
    suite's dbt commands took 910 s instead of 1,001 s (BENCHMARKS.md, "The pytests' dbt
    commands in the test process")."""
    from dbt.cli.main import dbtRunner

    output = io.StringIO()
    with process_state(root, environment), redirect_stdout(output), redirect_stderr(output):
        try:
            result = dbtRunner().invoke(list(command))
        finally:
            release_duckdb_file()
    text = output.getvalue()
    if result.exception is not None:
        text += f"\n{type(result.exception).__name__}: {result.exception}\n"
    return DbtRun(0 if result.success else 1, text)


@dataclass(frozen=True)
class Warehouse:
    """A built copy of the project: run dbt in it again, or query its DuckDB file."""

    root: Path
    landing: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE

    @property
    def environment(self) -> dict[str, str]:
        """What a dbt (or MetricFlow) command of this copy runs with: its profile, landing
        folder and DuckDB file."""
        return {
            **os.environ,
            "DBT_PROFILES_DIR": str(self.root / "profiles"),
            "CHARGEBACK_LANDING_DIR": str(self.landing),
            # relative to the copy, where every command runs: the profile then reads the same
            # in every copy, so that a copy can start from another's parsed project
            "CHARGEBACK_DUCKDB_PATH": str(DATABASE),
            "CHARGEBACK_TARGET": "dev",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # no debug log file (logs/dbt.log): the console output the test keeps says what
            # failed, and writing every statement to the file cost about a tenth of a small
            # build's CPU
            "DBT_LOG_LEVEL_FILE": "none",
        }

    def dbt(self, *arguments: str, variables: Mapping[str, Any] | None = None) -> DbtRun:
        """A dbt command in this copy, run in the test's own process (in_process_dbt)."""
        command = list(arguments)
        if variables:
            command += ["--vars", json.dumps(dict(variables))]
        parsed = PARSED_PROJECTS.key(variables)
        PARSED_PROJECTS.lend(parsed, self.root)
        started = time.perf_counter()
        run = in_process_dbt(command, self.root, self.environment)
        PARSED_PROJECTS.keep(parsed, self.root)
        log_dbt_time(arguments, time.perf_counter() - started)
        return run

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # the landing functions, so that the landing and staging views can be read too
        with register(duckdb.connect(str(self.database), read_only=True)) as connection:
            return connection.execute(sql, list(parameters)).fetchall()

    def row(self, sql: str, parameters: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The one row a query returns: none or several fail, and the failure shows the query,
        its parameters and the first rows found."""
        rows = self.query(sql, parameters)
        found = f"found {len(rows)}: {rows[:5]}"
        assert len(rows) == 1, f"expected one row from: {sql} {list(parameters)}, {found}"
        return rows[0]

    def record(
        self, columns: Sequence[str], source: str, parameters: Sequence[Any] = ()
    ) -> dict[str, Any]:
        """The one row of `select <columns> <source>` (a from and where clause), by column."""
        row = self.row(f"select {', '.join(columns)} {source}", parameters)
        return dict(zip(columns, row, strict=True))

    def text_columns(self, schemas: Sequence[str]) -> dict[str, list[str]]:
        """The text columns of the relations in `schemas`, by relation (schema.table)."""
        placeholders = ", ".join("?" for _ in schemas)
        columns = self.query(
            "select table_schema || '.' || table_name, column_name from information_schema.columns"
            f" where data_type = 'VARCHAR' and table_schema in ({placeholders})"
            " order by all",
            schemas,
        )
        by_relation: dict[str, list[str]] = {}
        for relation, column in columns:
            by_relation.setdefault(relation, []).append(column)
        return by_relation

    def text_columns_holding(self, schemas: Sequence[str], *needles: str) -> list[str]:
        """Every text column (schema.table.column) of the relations in `schemas` with a row
        that contains one of `needles`: one scan of each relation, each column counted."""
        holding: list[str] = []
        for relation, names in self.text_columns(schemas).items():
            conditions = [" or ".join(f'"{name}" like ?' for _ in needles) for name in names]
            counts = ", ".join(f"count(*) filter (where {condition})" for condition in conditions)
            parameters = [f"%{needle}%" for _ in names for needle in needles]
            found = self.query(f"select {counts} from {relation}", parameters)[0]
            holding += [
                f"{relation}.{name}" for name, rows in zip(names, found, strict=True) if rows
            ]
        return holding

    def scalar(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        row = self.row(sql, parameters)
        assert len(row) == 1, f"expected one value from: {sql}, found {row}"
        return row[0]


def write_jsonl(path: Path, records: Sequence[Mapping[str, Any]]) -> Path:
    """Writes records as JSON Lines, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """Writes a small CSV (values must not contain commas)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


# The demo company's own deployments, prices and capacity pools: a test company of its own
# (teams, FX rates or a price table of its own) starts without them, their owners, months and
# models being the demo company's, unless the test gives its own.
DEMO_COMPANY_SEEDS = ("model_deployments", "custom_model_prices", "capacity_pools")
OWN_COMPANY_SEEDS = ("teams", "fx_rates", "model_prices")


def project_copy(tmp_path: Path, seeds: Mapping[str, str] | None = None) -> Warehouse:
    """A copy of the project in tmp_path/project with an empty landing folder beside it.

    `seeds` replaces whole seed files: {"teams": "team_id,team_name,...\\nsupport,..."}.
    With any of OWN_COMPANY_SEEDS, the seeds of DEMO_COMPANY_SEEDS it does not give are left
    empty.
    """
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    replaced = dict(seeds or {})
    if any(seed in replaced for seed in OWN_COMPANY_SEEDS):
        for seed in DEMO_COMPANY_SEEDS:
            header = (root / "seeds" / f"{seed}.csv").read_text().splitlines()[0]
            replaced.setdefault(seed, header)
    for seed, content in replaced.items():
        (root / "seeds" / f"{seed}.csv").write_text(content.strip() + "\n")
    landing = tmp_path / "landing"
    landing.mkdir(exist_ok=True)
    return Warehouse(root=root, landing=landing)


def build(
    warehouse: Warehouse,
    variables: Mapping[str, Any] | None = None,
    arguments: Sequence[str] = ("build", "--exclude", "resource_type:unit_test"),
    artifacts: bool = False,
) -> DbtRun:
    """Runs `dbt build` (without unit tests, which `make test` runs once) and fails loudly.
    Without `artifacts`, dbt writes no manifest.json and run_results.json (about 2 s of a
    small build); a test that reads them asks for them."""
    command = [*arguments] if artifacts else [*arguments, "--no-write-json"]
    run = warehouse.dbt(*command, variables=variables)
    assert run.succeeded, f"dbt {' '.join(arguments)} failed:\n{run.output[-6000:]}"
    return run


def dbt_failure(
    warehouse: Warehouse, *arguments: str, variables: Mapping[str, Any] | None = None
) -> str:
    """Runs a dbt command that must fail and returns its output, for the test to read why."""
    run = warehouse.dbt(*arguments, variables=variables)
    assert not run.succeeded, f"dbt {' '.join(arguments)} succeeded:\n{run.output[-6000:]}"
    return run.output


def unsaid(output: str, *messages: str) -> list[str]:
    """The messages that `output` does not contain: a test asserts there are none, and its
    failure names each one missing."""
    return [message for message in messages if message not in output]
