"""The project keeps its promises about itself: documented variables, layout, naming."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def readme_variables() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- variables:start -->")[1].split("<!-- variables:end -->")[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| `([^`]*)` \|", table, flags=re.MULTILINE)
    return dict(rows)


def project_variables() -> dict[str, str]:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    return {name: str(value) for name, value in project["vars"].items()}


def variables_used_in_code() -> set[str]:
    used: set[str] = set()
    for folder in ("models", "macros", "tests", "analyses"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".sql", ".yml"}:
                used |= set(
                    re.findall(r"var\(\s*['\"](chargeback__[a-z_]+)['\"]", path.read_text())
                )
    return used


def test_every_project_variable_is_in_the_readme_table_with_its_default() -> None:
    assert readme_variables() == project_variables()


def test_every_variable_the_code_reads_is_declared_in_dbt_project() -> None:
    assert variables_used_in_code() <= set(project_variables())


def test_variables_are_namespaced() -> None:
    assert all(name.startswith("chargeback__") for name in project_variables())


def test_only_staging_models_read_sources() -> None:
    offenders = [
        path.relative_to(ROOT)
        for path in (ROOT / "models").rglob("*.sql")
        if "source(" in path.read_text() and "staging" not in path.parts
    ]
    assert offenders == []


def test_models_follow_the_layer_naming_convention() -> None:
    prefixes = {"staging": "stg_", "intermediate": "int_", "marts": ("fct_", "dim_")}
    for layer, prefix in prefixes.items():
        for path in (ROOT / "models" / layer).rglob("*.sql"):
            assert path.stem.startswith(prefix), f"{path.relative_to(ROOT)} should start {prefix}"


def test_every_model_is_documented_in_its_folders_yaml() -> None:
    for path in (ROOT / "models").rglob("*.sql"):
        folder_yaml = list(path.parent.glob("_*__models.yml"))
        assert len(folder_yaml) == 1, (
            f"{path.parent.relative_to(ROOT)} needs one _<folder>__models.yml"
        )
        documented = {
            model["name"]: model
            for model in yaml.safe_load(folder_yaml[0].read_text()).get("models", [])
        }
        assert path.stem in documented, f"{path.stem} is not documented in {folder_yaml[0].name}"
        assert "Grain" in documented[path.stem].get("description", ""), (
            f"{path.stem}: the description must state the grain"
        )


def test_macros_are_one_per_file_and_named_like_the_file() -> None:
    for path in (ROOT / "macros").glob("*.sql"):
        text = path.read_text()
        names = re.findall(r"\{%-?\s*macro\s+([a-z0-9_]+)\s*\(", text)
        # a materialization is the macro materialization_<name>_<adapter> to dbt
        names += [
            f"materialization_{name}_{adapter}"
            for name, adapter in re.findall(
                r"\{%-?\s*materialization\s+([a-z0-9_]+)\s*,\s*adapter\s*=\s*'([a-z0-9_]+)'", text
            )
        ]
        public = [name for name in names if "__" not in name]
        if not public:  # an engine's implementation of another package's macro (dbt.safe_cast)
            assert names == [path.stem], f"{path.name} defines {names}"
            continue
        assert public == [path.stem], f"{path.name} defines {names}"


def test_every_unit_test_name_fits_a_postgres_identifier() -> None:
    # dbt names a unit test's relation after the test; Postgres cuts identifiers at 63 bytes
    too_long = [
        unit_test["name"]
        for path in (ROOT / "models").rglob("*.yml")
        for unit_test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []
        if len(unit_test["name"]) > 63
    ]
    assert too_long == []


def test_data_flows_one_way_no_intermediate_model_reads_a_mart() -> None:
    # what two marts share is an intermediate model both read; marts are the end of the line
    reads_a_mart = {
        path.stem: sorted(set(re.findall(r"ref\(\s*'(fct_[a-z0-9_]+|dim_[a-z0-9_]+)'", text)))
        for path in (ROOT / "models" / "intermediate").rglob("*.sql")
        if re.findall(r"ref\(\s*'(?:fct|dim)_", text := path.read_text())
    }
    assert reads_a_mart == {}


def test_the_modules_started_first_exist() -> None:
    from conftest import LONGEST_FIRST

    missing = [name for name in LONGEST_FIRST if not (ROOT / "pytests" / name).exists()]
    assert missing == []
