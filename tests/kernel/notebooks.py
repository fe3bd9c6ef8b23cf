"""Runs every notebook in notebooks/ with nbclient on the mlx-go kernel.

A notebook passes when it uses the mlx-go kernelspec and is listed in the
folder's README.md (when there is one), every code cell ran, only cells tagged
raises-exception raised, each cell's metadata.mlxgo.expect text appears
in its outputs, and each MIME type in metadata.mlxgo.expect_mime (a string
or a list, e.g. "image/png" for a plot) is among its rich outputs.

Usage: notebooks.py NOTEBOOK_DIR [NAME...]
NAMEs (e.g. 03-fused-kernels or 03-fused-kernels.ipynb) run only those
notebooks. With NOTEBOOKS_OUT set to a folder, the executed notebooks are
written there for inspection.
"""
import json
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def outputs_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] == "error":
            parts.append(out["ename"] + ": " + out["evalue"])
        else:
            for data in out.get("data", {}).values():
                parts.append(data if isinstance(data, str) else json.dumps(data))
    return "\n".join(parts)


def lint(path, nb):
    """Problems with a notebook's metadata and listing, found before running it."""
    problems = []
    spec = nb.metadata.get("kernelspec", {})
    if spec.get("name") != "mlx-go" or spec.get("language") != "go":
        problems.append(f"kernelspec is {dict(spec)}, want name mlx-go, language go")
    readme = path.parent / "README.md"
    if readme.exists() and f"`{path.name}`" not in readme.read_text():
        problems.append(f"not listed in {readme.name}")
    return problems


def check(path):
    nb = nbformat.read(path, as_version=4)
    problems = lint(path, nb)
    stopped = False
    try:
        NotebookClient(nb, timeout=120, kernel_name="mlx-go", resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError:  # the failing cell's error is reported below
        stopped = True
        problems.append("execution stopped at a failing cell")
    except Exception as e:  # a timeout, a dead kernel: report it, go on with the next notebook
        stopped = True
        problems.append(f"execution stopped: {type(e).__name__}: {short(str(e))}")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            if not stopped:
                problems.append(f"cell {i} did not run")
            continue
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        if errors and not tagged:
            problems.append(f"cell {i} raised {errors[0]['ename']}: {errors[0]['evalue']}")
        if tagged and not errors:
            problems.append(f"cell {i} is tagged raises-exception but ran cleanly")
        meta = cell.metadata.get("mlxgo", {})
        want = meta.get("expect")
        if want and want not in outputs_text(cell):
            problems.append(f"cell {i}: {want!r} not in outputs {short(outputs_text(cell))!r}")
        mimes = meta.get("expect_mime", [])
        if isinstance(mimes, str):
            mimes = [mimes]
        shown = rich_mimes(cell)
        for mime in mimes:
            if mime not in shown:
                problems.append(f"cell {i}: no {mime} output (got {sorted(shown)})")
    out = os.environ.get("NOTEBOOKS_OUT")
    if out:
        pathlib.Path(out).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(pathlib.Path(out) / path.name))
    return problems


def rich_mimes(cell):
    """The MIME types of a cell's display_data and execute_result outputs."""
    found = set()
    for out in cell.get("outputs", []):
        if out["output_type"] in ("display_data", "execute_result"):
            found.update(k for k, v in out.get("data", {}).items() if v)
    return found


def short(text, limit=2000):
    """text cut to limit characters (a PNG's base64 would flood the log)."""
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1])
    notebooks = sorted(folder.glob("*.ipynb"))
    names = {n.removesuffix(".ipynb") for n in sys.argv[2:]}
    if names:
        notebooks = [p for p in notebooks if p.stem in names]
    if not notebooks:
        sys.exit(f"no notebooks in {folder}" + (f" named {sorted(names)}" if names else ""))
    failed = False
    for path in notebooks:
        start = time.monotonic()
        problems = check(path)
        took = time.monotonic() - start
        print(f"{path.name}: {'ok' if not problems else 'FAILED'} ({took:.1f} s)", flush=True)
        for p in problems:
            print("   ", p)
        failed |= bool(problems)
    sys.exit(1 if failed else 0)
