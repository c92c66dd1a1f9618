"""Every rule is used: each function in an app's ``rules.py`` is called by a view, an API
endpoint, a service, a task, a template or a rule that is itself used, or registered (a
visibility policy). A rule nothing calls is either a missing check or dead code; this test names
it. References are resolved through the imports (``rules.may_x`` means the rules module that
name was imported from), so two apps' rules of the same name are told apart."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "linli"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def rule_functions() -> dict[str, set[str]]:
    """rules module → the functions defined at its top level."""
    return {
        module_name(path): {
            node.name
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef)
        }
        for path in PACKAGE.rglob("rules.py")
    }


def aliases(module: str, tree: ast.AST, rules: dict[str, set[str]]) -> tuple[dict, dict]:
    """What the names of a module stand for: a rules module, or one rule of one."""
    modules: dict[str, str] = {}  # local alias -> rules module
    names: dict[str, tuple[str, str]] = {}  # local name -> (rules module, function)
    if module in rules:
        names |= {name: (module, name) for name in rules[module]}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if f"{node.module}.{alias.name}" in rules:
                    modules[local] = f"{node.module}.{alias.name}"
                elif node.module in rules and alias.name in rules[node.module]:
                    names[local] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in rules:
                    modules[alias.asname or alias.name] = alias.name
    return modules, names


def references(node: ast.AST, modules: dict, names: dict) -> set[tuple[str, str]]:
    """(rules module, function) pairs that ``node`` refers to."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in names:
            found.add(names[child.id])
        elif (
            isinstance(child, ast.Attribute)
            and isinstance(child.value, ast.Name)
            and child.value.id in modules
        ):
            found.add((modules[child.value.id], child.attr))
    return found


def unused_rules() -> list[str]:
    rules = rule_functions()
    used: set[tuple[str, str]] = set()
    inside: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        tree = ast.parse(path.read_text())
        modules, names = aliases(module, tree, rules)
        for node in tree.body:
            if module in rules and isinstance(node, ast.FunctionDef):
                own = (module, node.name)
                if any("policy" in ast.unparse(d) for d in node.decorator_list):
                    used.add(own)  # registered with linli.core.visibility
                for decorator in node.decorator_list:
                    used |= references(decorator, modules, names)
                body = ast.Module(body=node.body, type_ignores=[])
                inside[own] = references(body, modules, names) - {own}
            else:
                used |= references(node, modules, names)
    frontier = set(used)
    while frontier:
        for callee in inside.get(frontier.pop(), set()) - used:
            used.add(callee)
            frontier.add(callee)
    return sorted(
        f"{module}.{name}"
        for module, names in rules.items()
        for name in names
        if (module, name) not in used
    )


def test_every_rule_is_used() -> None:
    assert unused_rules() == []
