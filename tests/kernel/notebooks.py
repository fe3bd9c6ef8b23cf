"""Runs every notebook in notebooks/ with nbclient on the mlx-go kernel.

A notebook passes when every code cell ran, only cells tagged
raises-exception raised, and each cell's metadata.mlxgo.expect text appears
in its outputs. Usage: notebooks.py NOTEBOOK_DIR
"""
import json
import pathlib
import sys

import nbformat
from nbclient import NotebookClient


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


def check(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="mlx-go", resources={"metadata": {"path": str(path.parent)}}).execute()
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            problems.append(f"cell {i} did not run")
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        if errors and not tagged:
            problems.append(f"cell {i} raised {errors[0]['ename']}: {errors[0]['evalue']}")
        if tagged and not errors:
            problems.append(f"cell {i} is tagged raises-exception but ran cleanly")
        want = cell.metadata.get("mlxgo", {}).get("expect")
        if want and want not in outputs_text(cell):
            problems.append(f"cell {i}: {want!r} not in outputs {outputs_text(cell)!r}")
    return problems


if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1])
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        sys.exit(f"no notebooks in {folder}")
    failed = False
    for path in notebooks:
        problems = check(path)
        print(f"{path.name}: {'ok' if not problems else 'FAILED'}")
        for p in problems:
            print("   ", p)
        failed |= bool(problems)
    sys.exit(1 if failed else 0)
