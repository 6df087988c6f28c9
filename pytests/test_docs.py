"""The project's documents hold: the accounting rules table names what exists, links resolve,
and nothing cites a file outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "docs" / "accounting-rules.md"

# Where a citation of a file outside the repository is looked for: every tracked file.
CITATION_SCOPE: tuple[str, ...] | None = None
# the two ways an outside file has been cited; spelled in two parts so that this file does not
# cite one itself
OUTSIDE_CITATIONS = ("DESIGN" + ".md", "../" + "shared")


# ---------------------------------------------------------------------------------------------
# what exists in the project


def model_names() -> set[str]:
    return {path.stem for path in (ROOT / "models").rglob("*.sql")}


def seed_names() -> set[str]:
    return {path.stem for path in (ROOT / "seeds").glob("*.csv")}


def macro_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "macros").rglob("*.sql"):
        names |= set(re.findall(r"\{%-?\s*macro\s+([a-z0-9_]+)\s*\(", path.read_text()))
    return names


def yaml_test_names() -> set[str]:
    """Unit test names and the names given to data tests (`name:` of a test's arguments)."""
    names: set[str] = set()
    for folder in ("models", "seeds", "tests"):
        for path in (ROOT / folder).rglob("*.yml"):
            document = yaml.safe_load(path.read_text()) or {}
            names |= {unit_test["name"] for unit_test in document.get("unit_tests") or []}
            names |= set(named_data_tests(document))
    return names


def named_data_tests(node: object) -> list[str]:
    """Every data test given a name, wherever it is declared (model, column, seed, source)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"data_tests", "tests"} and isinstance(value, list):
                for test in value:
                    if isinstance(test, dict) and len(test) == 1:
                        arguments = next(iter(test.values()))
                        if isinstance(arguments, dict) and isinstance(arguments.get("name"), str):
                            found.append(arguments["name"])
            else:
                found += named_data_tests(value)
    elif isinstance(node, list):
        for item in node:
            found += named_data_tests(item)
    return found


def sql_test_names() -> set[str]:
    """Singular tests and generic tests, by file name."""
    return {path.stem for path in (ROOT / "tests").rglob("*.sql")}


# ---------------------------------------------------------------------------------------------
# the accounting rules table


def rules_table() -> list[list[str]]:
    text = RULES.read_text()
    assert text.count("<!-- rules:start -->") == 1, "docs/accounting-rules.md holds one table"
    table = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0]
    lines = [line for line in table.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["rule", "model(s)", "macro(s)", "test(s)"]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]
    assert all(len(row) == 4 for row in rows), "a rule's text holds no '|'"
    return rows


def named(cell: str) -> list[tuple[str, str]]:
    """(kind, name) of every name in a cell: `name`, or seed `name`."""
    return re.findall(r"(seed )?`([^`]+)`", cell)


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    return rules_table()


def test_the_table_has_a_row_for_each_rule_and_each_row_names_a_model(
    rows: list[list[str]],
) -> None:
    assert len(rows) >= 40
    assert [row[0] for row in rows if not named(row[1])] == []
    rules = [re.match(r"\*\*([^*]+)\*\*", row[0]) for row in rows]
    assert all(rules), "each rule starts with its name in bold"
    titles = [rule.group(1) for rule in rules if rule]
    assert len(set(titles)) == len(titles), "each rule is named once"


def test_every_model_and_seed_the_table_names_exists(rows: list[list[str]]) -> None:
    models, seeds = model_names(), seed_names()
    missing = [
        f"{'seed ' if kind else ''}{name}"
        for row in rows
        for kind, name in named(row[1])
        if name not in (seeds if kind else models)
    ]
    assert missing == []


def test_every_macro_the_table_names_exists(rows: list[list[str]]) -> None:
    macros = macro_names()
    assert [name for row in rows for _, name in named(row[2]) if name not in macros] == []
    assert all(named(row[2]) or row[2] == "—" for row in rows), "a macro, or —"


def test_every_test_the_table_names_exists(rows: list[list[str]]) -> None:
    tests = sql_test_names() | yaml_test_names()
    missing = []
    for row in rows:
        for _, name in named(row[3]):
            if "/" in name:  # a pytest module
                exists = name.startswith("pytests/test_") and (ROOT / name).is_file()
            else:
                exists = name in tests
            if not exists:
                missing.append(name)
    assert missing == []


def test_a_rule_without_a_test_says_so(rows: list[list[str]]) -> None:
    # a rule either names the tests that hold it or says plainly that none does yet
    assert all(named(row[3]) or row[3] == "none yet" for row in rows)


# ---------------------------------------------------------------------------------------------
# links between the documents


def anchors_of(document: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown file's headings."""
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", document.read_text(), flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def documents() -> list[Path]:
    top = [ROOT / "README.md", ROOT / "DECISIONS.md", ROOT / "BENCHMARKS.md"]
    return [*top, *sorted((ROOT / "docs").glob("*.md"))]


def test_links_between_the_documents_resolve() -> None:
    broken = []
    for document in documents():
        text = document.read_text()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):  # a web address
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            if not linked.exists() or (
                anchor and linked.suffix == ".md" and anchor not in anchors_of(linked)
            ):
                broken.append(f"{document.relative_to(ROOT)}: {target}")
    assert broken == []


def test_docs_index_lists_every_document() -> None:
    index = (ROOT / "docs" / "README.md").read_text()
    listed = set(re.findall(r"\]\(([a-z\-]+\.md)\)", index))
    present = {path.name for path in (ROOT / "docs").glob("*.md")} - {"README.md"}
    assert present <= listed


# ---------------------------------------------------------------------------------------------
# nothing outside the repository


def tracked_files() -> list[Path]:
    # tracked files, and new ones not yet committed (but not what .gitignore leaves out)
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    listed = subprocess.run(command, cwd=ROOT, capture_output=True, check=True).stdout.decode()
    files = [ROOT / name for name in listed.split("\0") if name]
    if CITATION_SCOPE is not None:
        files = [
            path
            for path in files
            if path.relative_to(ROOT).parts[0] in CITATION_SCOPE
            or str(path.relative_to(ROOT)) in CITATION_SCOPE
        ]
    return [path for path in files if path.is_file()]


def test_nothing_cites_a_file_outside_the_repository() -> None:
    citing = []
    for path in tracked_files():
        try:
            text = path.read_text()
        except UnicodeDecodeError:  # images and other binary files
            continue
        citing += [
            f"{path.relative_to(ROOT)}: {cited}" for cited in OUTSIDE_CITATIONS if cited in text
        ]
    assert citing == []
