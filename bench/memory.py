"""Memory readings shared by the benchmarks."""

from __future__ import annotations


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc), 0 where unknown."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
