"""Memory figures of the running benchmark process, shared by the bench scripts."""

from __future__ import annotations

import resource
import sys


def status_mb(field: str) -> float | None:
    """A size field of /proc/self/status (`VmRSS`, `VmHWM`) in MB, or None where unavailable.
    `VmHWM` is the peak of this process image alone: unlike `ru_maxrss` it does not carry a
    parent's high-water mark across fork + exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def maxrss_mb() -> float:
    """Peak RSS as `getrusage` reports it (bytes on macOS, KiB elsewhere)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
