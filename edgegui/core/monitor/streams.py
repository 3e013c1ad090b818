"""Closing a Docker SDK stream, including one that runs over an SSH channel."""

from __future__ import annotations

from typing import Any


def close_stream(stream: Any) -> None:
    """Close ``stream``, the socket or channel under it and its HTTP response; never raises.

    docker-py refuses to close a stream carried by a paramiko channel ("Cancellable streams
    not supported for the SSH protocol"); closing the channel itself ends the read instead.
    A stream read to its end still holds its connection until the response is closed.
    """
    response = getattr(stream, "_response", stream)  # a docker-py stream, or a Response
    try:
        stream.close()
    except Exception:  # noqa: BLE001 - the SSH case: close the channel under it
        raw = getattr(response, "raw", None)
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        _quietly_close(getattr(fp, "channel", None))
    if response is not stream:
        _quietly_close(response)


def _quietly_close(thing: Any) -> None:
    try:
        if thing is not None:
            thing.close()
    except Exception:  # noqa: BLE001, S110 - already closed: nothing left to stop
        pass
