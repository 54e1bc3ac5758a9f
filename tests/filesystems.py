"""Folders that can't be written, and disks that fill up, for the tests that need them.

Root writes through any permission bits, so as root a folder is made read-only by a read-only bind
mount, and a small disk is a tmpfs mounted on the folder; as another user, permission bits make a
folder read-only, and a full disk needs root (the test is skipped, its unit twin still runs).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"mount {' '.join(args)} is not allowed here: {done.stderr.strip()}")


def _unmount(folder: Path) -> None:
    # Lazily when busy: Chroma in this process may still hold a file open under it.
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` and everything in it can be read, not written, until the block ends."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")]}
        for path, mode in modes.items():
            path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,ro,bind", str(folder))
        yield
    finally:
        _unmount(folder)


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[None]:
    """An empty disk of `size` (as mount's tmpfs takes it: "300k", "2m") mounted on `folder`."""
    if os.geteuid() != 0:
        pytest.skip("a small disk is a tmpfs, which only root may mount")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    try:
        yield
    finally:
        _unmount(folder)


def grow(folder: Path, size: str) -> None:
    """Make the small disk on `folder` larger: space was freed."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)
