"""The practices demo: the 97 URBACT good practices, and CoNet's Guide to Social Cohesion.

Running it twice changes nothing: the import matches practices by source key, and the guide,
its chapters, approach texts and interviews are created only where missing.
"""

from pathlib import Path

from conet.practices import imports, services

URBACT_CSV = Path(__file__).resolve().parent / "data" / "urbact_good_practices_2017.csv"


def import_urbact_practices() -> services.ImportReport:
    columns, records = imports.read_records(URBACT_CSV)
    mapping, prefix = imports.choose_mapping(columns, None)
    rows, problems = imports.parse_records(records, mapping, key_prefix=prefix)
    if problems:  # the shipped file is checked by the tests; this would be a broken checkout
        raise ValueError("; ".join(str(problem) for problem in problems[:5]))
    return services.import_practices(rows)


def load_practices_demo() -> dict:
    report = import_urbact_practices()
    return {"practices": report}


def describe(report: dict) -> list[str]:
    return [f"Good practices (URBACT 2017): {report['practices']}"]
