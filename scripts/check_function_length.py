"""Fail when a function in the apps is longer than 60 lines (docs/architecture.md).

A long function is several steps that want names of their own. Migrations are generated and
left out. Run by `make lint`.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "sla",
    "tickets",
    "knowledge",
    "duty",
    "licensing",
    "colleagues",
    "workspace",
    "replies",
    "api",
    "webhooks",
    "reports",
    "helpdesk",
)
LIMIT = 60


def long_functions() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > LIMIT:
                        where = path.relative_to(ROOT)
                        found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    return found


def main() -> int:
    found = long_functions()
    for line in found:
        print("Longer than", LIMIT, "lines:", line)
    if not found:
        print(f"No function in the apps is longer than {LIMIT} lines.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
