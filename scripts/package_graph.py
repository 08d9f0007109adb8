"""Print which module of Wegwijs imports which, the package graph, cycles and layer breaches.

Reads the code (``ast``), so it shows what the source says, lazy imports inside functions
included. Usage::

    python scripts/package_graph.py            # module graph, package graph, cycles, breaches
    python scripts/package_graph.py --sizes    # also module sizes and the longest functions
    python scripts/package_graph.py --check    # exit 1 on a cycle or a layer breach (used by tests)

Layers, lowest first (a module may import its own layer and the layers below it):
``assistant.core`` < ``ingest`` < ``assistant.inventory``, ``assistant.query``,
``assistant.retrieval`` < ``assistant.answer`` < ``ui``, ``evals`` < ``assistant.cli``.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "ingest", "ui", "evals")

# group -> layer; a module belongs to the longest group that prefixes its name
LAYERS: dict[str, int] = {
    "assistant.core": 0,
    "ingest": 1,
    "assistant.inventory": 2, "assistant.query": 2, "assistant.retrieval": 2,
    "assistant.answer": 3,
    "ui": 4, "evals": 4,
    "assistant.cli": 5, "assistant.__main__": 5, "assistant": 5,
}
# groups of one layer that may not import each other (siblings stay independent)
INDEPENDENT = {("ui", "evals"), ("evals", "ui")}


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    imports: dict[str, bool] = field(default_factory=dict)  # imported module -> lazy (inside a function)
    functions: list[tuple[str, int]] = field(default_factory=list)  # (qualified name, lines)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(name: str, known: set[str]) -> str | None:
    """The internal module an import names (``a.b.c`` -> ``a.b`` when ``c`` is an attribute)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _absolute(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def scan() -> dict[str, Module]:
    """Every module of the packages with its internal imports and function sizes."""
    paths = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    modules = {_module_name(p): Module(_module_name(p), p, len(p.read_text(encoding="utf-8").splitlines()))
               for p in paths}
    known = set(modules)
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"))
        is_package = module.path.name == "__init__.py"
        _collect(tree, module, known, is_package, lazy=False, prefix="")
    return modules


def _collect(node: ast.AST, module: Module, known: set[str], is_package: bool, lazy: bool, prefix: str) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.functions.append((prefix + child.name, child.end_lineno - child.lineno + 1))
            _collect(child, module, known, is_package, True, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            _collect(child, module, known, is_package, lazy, f"{prefix}{child.name}.")
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names = ([a.name for a in child.names] if isinstance(child, ast.Import) else
                     [f"{_absolute(child, module.name, is_package)}.{a.name}" for a in child.names])
            for name in names:
                target = _resolve(name, known)
                if target and target != module.name:
                    module.imports[target] = module.imports.get(target, True) and lazy
        else:
            _collect(child, module, known, is_package, lazy, prefix)


def group_of(name: str) -> str:
    """The layer group of a module: the longest LAYERS key that prefixes it, else its package."""
    best = ""
    for group in LAYERS:
        if (name == group or name.startswith(group + ".")) and len(group) > len(best):
            best = group
    return best or name.split(".")[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def breaches(modules: dict[str, Module]) -> list[str]:
    """Imports from a higher layer, or between independent siblings."""
    out = []
    for module in modules.values():
        source = group_of(module.name)
        for target, lazy in module.imports.items():
            goal = group_of(target)
            if goal == source or goal.startswith(source + ".") and source == "assistant":
                continue
            low, high = LAYERS.get(source), LAYERS.get(goal)
            if low is None or high is None:
                continue
            if high > low or (source, goal) in INDEPENDENT:
                out.append(f"{module.name} -> {target}{' (lazy)' if lazy else ''}: "
                           f"{source} (layer {low}) imports {goal} (layer {high})")
    return out


def report(modules: dict[str, Module], sizes: bool) -> tuple[list[list[str]], list[str]]:
    print("== Modules and their internal imports (* = lazy, inside a function)")
    for name in sorted(modules):
        deps = ", ".join(f"{t}{'*' if lazy else ''}" for t, lazy in sorted(modules[name].imports.items()))
        print(f"{name}: {deps or '-'}")
    package_graph: dict[str, set[str]] = defaultdict(set)
    for module in modules.values():
        for target in module.imports:
            a, b = group_of(module.name), group_of(target)
            if a != b:
                package_graph[a].add(b)
    print("\n== Package graph (layer groups)")
    for group in sorted(package_graph):
        print(f"{group} -> {', '.join(sorted(package_graph[group]))}")
    module_cycles = cycles({m.name: set(m.imports) for m in modules.values()})
    package_cycles = cycles(package_graph)
    print("\n== Cycles between modules")
    print("\n".join(" <-> ".join(c) for c in module_cycles) or "none")
    print("\n== Cycles between packages")
    print("\n".join(" <-> ".join(c) for c in package_cycles) or "none")
    lazy = [f"{m.name} -> {t}" for m in modules.values() for t, is_lazy in m.imports.items() if is_lazy]
    print(f"\n== Lazy internal imports: {len(lazy)}")
    print("\n".join(sorted(lazy)) or "none")
    found = breaches(modules)
    print(f"\n== Layer breaches: {len(found)}")
    print("\n".join(found) or "none")
    if sizes:
        print("\n== Module sizes (lines), largest first")
        for module in sorted(modules.values(), key=lambda m: -m.lines)[:25]:
            print(f"{module.lines:5d}  {module.name}")
        print("\n== Longest functions (lines)")
        functions = sorted(((n, f"{m.name}.{f}") for m in modules.values() for f, n in m.functions), reverse=True)
        for n, name in functions[:20]:
            print(f"{n:5d}  {name}")
        total = sum(m.lines for m in modules.values())
        print(f"\n{len(modules)} modules, {total} lines; modules over 400 lines: "
              f"{sum(1 for m in modules.values() if m.lines > 400)}")
    return module_cycles + package_cycles, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", action="store_true", help="also module sizes and longest functions")
    parser.add_argument("--check", action="store_true", help="exit 1 on a cycle or a layer breach")
    args = parser.parse_args(argv)
    found_cycles, found_breaches = report(scan(), args.sizes)
    return 1 if args.check and (found_cycles or found_breaches) else 0


if __name__ == "__main__":
    sys.exit(main())
