"""The wire format between the judge and a sandboxed worker: plain data only.

Messages from the worker are JSON. Numbers, strings, ``None``, lists, tuples, str-keyed
dicts and numpy arrays of booleans, integers or floats are all that can cross; an array
travels as its dtype, shape and raw bytes. :func:`decode` rebuilds exactly these types and
rejects anything else, so no object made by student code ever reaches the judge.

This module is also mounted read-only into the sandbox, where the worker uses
:func:`encode`; it imports only the standard library and numpy.
"""

from __future__ import annotations

import base64
import json
import struct

import numpy as np

DTYPES = {"b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"}
MAX_FRAME = 64 * 2**20
MAX_DEPTH = 32


class WireError(ValueError):
    """A message that is not plain data, or is malformed."""


def encode(value, depth: int = 0):
    """Turn plain data into JSON-ready structures; raise TypeError for anything else."""
    if depth > MAX_DEPTH:
        raise TypeError("the value is nested too deeply")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return {"__float__": repr(value)}
    if isinstance(value, (np.bool_, np.integer)):
        return value.item()
    if isinstance(value, np.floating):
        return {"__float__": repr(float(value))}
    if isinstance(value, np.ndarray):
        arr = np.array(np.ndarray.view(value, np.ndarray), order="C")      # keeps 0-d arrays 0-d
        code = arr.dtype.kind + str(arr.dtype.itemsize)
        if code not in DTYPES:
            raise TypeError(f"an array of dtype {arr.dtype} (only numbers can be returned)")
        le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        return {"__nd__": [code, list(arr.shape), base64.b64encode(le.tobytes()).decode("ascii")]}
    if type(value) in (list, tuple):
        items = [encode(v, depth + 1) for v in value]
        return items if type(value) is list else {"__tuple__": items}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: encode(v, depth + 1) for k, v in value.items()}}
    raise TypeError(f"a {type(value).__name__}")


def decode(obj, depth: int = 0):
    """Rebuild plain data from :func:`encode`'s output; raise :class:`WireError` otherwise."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if obj is None or type(obj) in (bool, int, str):
        return obj
    if type(obj) is list:
        return [decode(v, depth + 1) for v in obj]
    if type(obj) is dict and len(obj) == 1:
        (tag, body), = obj.items()
        if tag == "__float__" and type(body) is str:
            try:
                return float(body)
            except ValueError:
                raise WireError("a malformed float") from None
        if tag == "__tuple__" and type(body) is list:
            return tuple(decode(v, depth + 1) for v in body)
        if tag == "__dict__" and type(body) is dict:
            return {str(k): decode(v, depth + 1) for k, v in body.items()}
        if tag == "__nd__" and type(body) is list and len(body) == 3:
            code, shape, data = body
            if code not in DTYPES or type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
                raise WireError("a malformed array")
            dtype = np.dtype("?" if code == "b1" else code).newbyteorder("<")
            raw = base64.b64decode(data, validate=True)
            count = int(np.prod(shape)) if shape else 1
            if len(raw) != count * dtype.itemsize:
                raise WireError("an array whose data does not match its shape")
            return np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)
    raise WireError(f"not plain data: {type(obj).__name__}")


def frame(payload: bytes) -> bytes:
    """Length-prefixed frame."""
    return struct.pack(">I", len(payload)) + payload


def dumps(message: dict) -> bytes:
    return json.dumps(message, allow_nan=False).encode()


def loads(payload: bytes) -> dict:
    message = json.loads(payload)
    if type(message) is not dict:
        raise WireError("a message must be an object")
    return message
