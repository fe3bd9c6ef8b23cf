"""JupyterLab with the mlx-go kernel, driven the way a browser user drives it.

1. Starts a Jupyter server (JupyterLab) on 127.0.0.1 over a folder holding
   the executed example notebook.
2. Through the server's REST API and kernel websocket — the path the Lab UI
   uses — starts an mlx-go session and runs a cell, checking the result.
3. Opens the notebook in headless Chromium and saves a screenshot; checks the
   page drew the notebook, and that Lab's own session for it runs mlx-go.

Usage: lab.py CHROMIUM WORKDIR SCREENSHOT
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import nbformat
from nbclient import NotebookClient
from tornado import ioloop
from tornado.websocket import websocket_connect

CHROMIUM, WORK, SHOT = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = uuid.uuid4().hex
NOTEBOOK = "01-getting-started.ipynb"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"


def api(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def wait_idle(kernel_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = api("GET", f"/api/kernels/{kernel_id}")["execution_state"]
        if state == "idle":
            return
        time.sleep(0.1)
    raise AssertionError(f"kernel {kernel_id} not idle: {state}")


async def run_cell(kernel_id, code):
    """Execute code over the kernel websocket, as the Lab UI does."""
    url = f"ws://127.0.0.1:{PORT}/api/kernels/{kernel_id}/channels?token={TOKEN}"
    ws = await websocket_connect(url)
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "channel": "shell",
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "lab", "session": uuid.uuid4().hex,
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {},
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    result, replied, idle = None, False, False
    while not (replied and idle):
        m = json.loads(await ws.read_message())
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            result = m["content"]["data"]["text/plain"]
        elif m["msg_type"] == "execute_reply":
            assert m["content"]["status"] == "ok", m["content"]
            replied = True
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
    ws.close()
    return result


def main():
    root = os.path.join(WORK, "root")  # what the server serves
    os.makedirs(root, exist_ok=True)
    # The notebook as a user would have it after running it: with outputs.
    nb = nbformat.read(os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", NOTEBOOK), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="mlx-go").execute()
    nbformat.write(nb, os.path.join(root, NOTEBOOK))
    # No "get Jupyter news?" pop-up over the screenshot.
    settings = os.path.join(WORK, "lab-settings")
    os.makedirs(os.path.join(settings, "@jupyterlab", "apputils-extension"), exist_ok=True)
    with open(os.path.join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"), "w") as f:
        json.dump({"fetchNews": "false"}, f)

    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={PORT}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": settings},
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "server.log"), "w"))
    try:
        deadline = time.time() + 90
        while True:
            try:
                api("GET", "/api/status")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise AssertionError("Jupyter server did not start:\n" + open(os.path.join(WORK, "server.log")).read())
                time.sleep(0.2)
        assert "mlx-go" in api("GET", "/api/kernelspecs")["kernelspecs"], "server does not list mlx-go"

        # The UI's path: a session for a notebook, then cells over the websocket.
        session = api("POST", "/api/sessions", {"path": "scratch.ipynb", "type": "notebook", "name": "",
                                                "kernel": {"name": "mlx-go"}})
        kernel_id = session["kernel"]["id"]
        wait_idle(kernel_id)
        got = ioloop.IOLoop.current().run_sync(lambda: run_cell(kernel_id, "6 * 7"))
        assert got == "42", f"6 * 7 over the websocket gave {got!r}"
        print("websocket execute: 6 * 7 =", got)
        api("DELETE", f"/api/sessions/{session['id']}")

        # The browser: JupyterLab opens the notebook and starts its kernel.
        profile = os.path.join(WORK, "chromium-profile")
        shot = subprocess.run(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--window-size=1280,1000", "--virtual-time-budget=30000",
             f"--screenshot={SHOT}", f"{BASE}/lab/tree/{NOTEBOOK}?token={TOKEN}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        if shot.returncode != 0 or not os.path.exists(SHOT):
            raise AssertionError(f"chromium failed ({shot.returncode}):\n{shot.stdout.decode()[-3000:]}")
        print("screenshot:", SHOT, os.path.getsize(SHOT), "bytes")

        # Lab opened a session for the notebook with our kernel, and it came up.
        deadline = time.time() + 60
        while True:
            sessions = [s for s in api("GET", "/api/sessions") if s["path"].endswith(NOTEBOOK)]
            if sessions:
                break
            if time.time() > deadline:
                raise AssertionError("JupyterLab opened no session for the notebook")
            time.sleep(0.2)
        assert sessions[0]["kernel"]["name"] == "mlx-go", sessions[0]["kernel"]
        wait_idle(sessions[0]["kernel"]["id"])
        print("JupyterLab session kernel:", sessions[0]["kernel"]["name"], "idle")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(os.path.join(WORK, "chromium-profile"), ignore_errors=True)


if __name__ == "__main__":
    main()
    print("OK")
