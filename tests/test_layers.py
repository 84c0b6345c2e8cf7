"""Each stage imports only from the stages before it: languages -> content -> index -> search -> insights
-> web -> the CLI and the serving settings on top. Read from the source, so a back-import fails here."""
from __future__ import annotations

import ast
from pathlib import Path

import helpcenter

PACKAGE = Path(helpcenter.__file__).parent
LAYERS = ("languages", "content", "index", "search", "insights", "web", "cli", "serving")
TOP = {"cli": 6, "serving": 6}  # the entry points sit together on top


def layer_of(module: str) -> int:
    """The layer of a dotted module name under `helpcenter` (the package itself: below everything)."""
    parts = module.split(".")
    if len(parts) < 2:
        return -1
    return TOP.get(parts[1], LAYERS.index(parts[1]) if parts[1] in LAYERS else -1)


def imported(source: str, module: str) -> list[tuple[int, str]]:
    """(line, module) of every helpcenter module `source` (the text of `module`) imports."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("helpcenter")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                base = ".".join(module.split(".")[:-node.level] + ([base] if base else []))
            if base.startswith("helpcenter"):
                names = [f"{base}.{a.name}" if base == "helpcenter" else base for a in node.names]
                out += [(node.lineno, n) for n in names]
    return out


def back_imports(source: str, module: str) -> list[str]:
    mine = layer_of(module)
    return [f"{module}:{line} imports {name}" for line, name in imported(source, module)
            if layer_of(name) > mine]


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        out.append((name, path))
    return out


def test_every_module_is_in_a_layer():
    unplaced = [name for name, _ in modules() if name != "helpcenter" and layer_of(name) < 0]
    assert unplaced == []


def test_no_stage_imports_a_later_one():
    found = [v for name, path in modules() for v in back_imports(path.read_text(encoding="utf-8"), name)]
    assert found == []


def test_the_check_catches_a_back_import():
    assert back_imports("from helpcenter.web.services import database\n", "helpcenter.search.searcher") == [
        "helpcenter.search.searcher:1 imports helpcenter.web.services"]
    assert back_imports("def f():\n    import helpcenter.insights.db\n", "helpcenter.index.vector")
    assert back_imports("from ..web import site\n", "helpcenter.search.plan") == [
        "helpcenter.search.plan:1 imports helpcenter.web"]
    assert back_imports("from helpcenter import web\n", "helpcenter.content.articles")
    assert back_imports("from helpcenter.index.analysis import analyze\n", "helpcenter.search.plan") == []


def test_web_never_touches_whoosh_or_faiss():
    for name, path in modules():
        if layer_of(name) >= LAYERS.index("search"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            libs = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            libs |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not libs & {"whoosh", "faiss"}, name
