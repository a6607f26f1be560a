"""Where inputs live: a local path or any fsspec URI (``gs://``, ``s3://``, ``memory://``...).

Every reader opens, lists and stats through these helpers, so a worker needs no disk shared
with the driver. Locations keep the form they were given in: a local ``Path`` stays a
``Path`` (symlinked folders work), a URI stays a ``str``.
"""
from __future__ import annotations

import posixpath
from pathlib import Path
from typing import IO

import fsspec

Location = str | Path  # a local path or an fsspec URI


def is_uri(location: Location) -> bool:
    """True for ``<protocol>://...``; anything else is a local path."""
    return "://" in str(location)


def as_location(location: Location) -> Location:
    """A URI as a ``str``, a local path as a ``Path``."""
    return str(location) if is_uri(location) else Path(location)


def join(location: Location, *parts: str) -> Location:
    """``location / part / ...`` in the location's own form (``Path`` or URI string)."""
    if isinstance(location, Path):
        return location.joinpath(*parts)
    return "/".join([str(location).rstrip("/"), *parts])


def base_name(location: Location) -> str:
    return posixpath.basename(str(location).rstrip("/"))


def filesystem(location: Location):
    """(filesystem, path on it) for a location; fsspec caches the filesystem instances."""
    return fsspec.core.url_to_fs(str(location))


def read_bytes(location: Location) -> bytes:
    fs, path = filesystem(location)
    return fs.cat_file(path)


def read_text(location: Location) -> str:
    return read_bytes(location).decode("utf-8")


def is_file(location: Location) -> bool:
    fs, path = filesystem(location)
    return fs.isfile(path)


def is_dir(location: Location) -> bool:
    fs, path = filesystem(location)
    return fs.isdir(path)


def list_dir(location: Location) -> list[tuple[str, bool]]:
    """(name, is a folder) for every entry of a folder, sorted by name; symlinks are followed
    (a local symlinked folder lists as a link, not a directory)."""
    fs, path = filesystem(location)
    entries = {}
    for info in fs.ls(path, detail=True):
        name = posixpath.basename(info["name"].rstrip("/"))
        if name:
            entries[name] = fs.isdir(info["name"]) if info.get("islink") else info.get("type") == "directory"
    return sorted(entries.items())


def open_file(location: Location) -> IO[bytes]:
    """A binary file object for a local path or URI (raises OSError when it cannot be opened)."""
    fs, path = filesystem(location)
    return fs.open(path, "rb")


def relative(location: Location, folder: Location) -> str:
    """``location`` relative to ``folder``, as a POSIX path."""
    if isinstance(location, Path) and isinstance(folder, Path):
        return location.relative_to(folder).as_posix()
    prefix = str(folder).rstrip("/") + "/"
    if not str(location).startswith(prefix):
        raise ValueError(f"{location} is not under {folder}")
    return str(location)[len(prefix):]
