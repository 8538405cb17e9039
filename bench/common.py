"""Helpers the benchmark scripts share: running commands, installing the
peers (Debian packages, Pagefind from npm), free ports and HTTP fetches."""
import os, shutil, socket, subprocess, sys, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
AYNI = os.path.join(REPO, "target", "release", "ayni")


def run(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def ensure_debian(*pairs):
    """Installs the Debian packages whose program is missing: (package, program) pairs."""
    need = [package for package, program in pairs if not shutil.which(program)]
    if need:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", *need])


def ensure_pagefind(work):
    """Pagefind from npm under WORK/tools; returns its command."""
    tools = os.path.join(work, "tools")
    pf = os.path.join(tools, "node_modules", ".bin", "pagefind")
    if not os.path.exists(pf):
        os.makedirs(tools, exist_ok=True)
        run(["npm", "install", "--prefix", tools, "--no-audit", "--no-fund", "pagefind@1"])
    return pf


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fetch(url):
    """The body of URL as text, or "" when it cannot be fetched."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""
