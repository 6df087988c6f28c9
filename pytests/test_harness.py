"""The test harness keeps copies of the project apart.

Copies borrow dbt's parsed project from the first copy parsed with the same variables
(harness.ParsedProjects). The parsed project names the folder it was parsed in, and
dbt-duckdb loads a seed's CSV from the folder its node names: a loan that kept the keeper's
folder loaded the keeper's seeds into the borrower's warehouse (the closing test's contract
discount halved the September prices of the next module on its worker).
"""

from __future__ import annotations

from pathlib import Path

import msgpack

from harness import PARSE_STATE, ParsedProjects


def parsed_in(root: Path) -> dict[str, object]:
    """A parsed project's shape as far as folders go: the project root every node carries and
    the root_path of a seed."""
    return {
        "nodes": {
            "seed.ai_chargeback.contract_prices": {
                "root_path": str(root),
                "original_file_path": "seeds/contract_prices.csv",
                "project_root": str(root),
            },
        },
        "project_name": "ai_chargeback",
        "note": f"{root}-other is another folder",
    }


def lent(tmp_path: Path, borrower_parsed: bool) -> tuple[Path, Path, object]:
    """The keeper's parse state kept, then lent to the borrower (who may have parsed the
    project already): the keeper's folder, the borrower's and the state the borrower has."""
    keeper, borrower = tmp_path / "keeper", tmp_path / "borrower"
    for root in (keeper, borrower) if borrower_parsed else (keeper,):
        (root / PARSE_STATE).parent.mkdir(parents=True)
        (root / PARSE_STATE).write_bytes(msgpack.packb(parsed_in(root)))
    projects = ParsedProjects()
    projects.share(tmp_path / "kept")
    projects.keep("variables", keeper)
    projects.lend("variables", borrower)
    return keeper, borrower, msgpack.unpackb((borrower / PARSE_STATE).read_bytes(), raw=False)


def test_a_lent_parse_state_names_the_borrowers_folder_not_the_keepers(tmp_path: Path) -> None:
    keeper, borrower, state = lent(tmp_path, borrower_parsed=False)
    expected = parsed_in(borrower)
    expected["note"] = f"{keeper}-other is another folder"  # not a path in the keeper's folder
    assert state == expected


def test_a_copy_with_a_parse_state_of_its_own_keeps_it(tmp_path: Path) -> None:
    _, borrower, state = lent(tmp_path, borrower_parsed=True)
    assert state == parsed_in(borrower)
