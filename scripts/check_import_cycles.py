"""Fail when the project's modules import each other in a cycle, lazy imports included.

The layers contract (pyproject.toml, import-linter) keeps the apps in order; this keeps the
modules inside an app in order too: a cycle means two modules that cannot be read, tested or
moved apart. Run by `make lint`.
"""

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PACKAGES = ("accounts", "sla", "tickets", "workspace", "licensing", "reports", "helpdesk")


def cycles(graph: "grimp.ImportGraph") -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child.split(".")[0] not in PACKAGES:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child)
                    work.append((child, iter(sorted(imported))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES)
    found = cycles(graph)
    for component in found:
        print("Import cycle:", " <-> ".join(component))
    if not found:
        print("No import cycles among the project's modules (lazy imports included).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
