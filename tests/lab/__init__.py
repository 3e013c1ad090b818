"""The device lab: simulated edge devices on this machine, built from real parts.

Each device is a network namespace + private mount and UTS namespaces holding a real sshd,
a real dockerd, a serial console running a real /bin/login, and fake hardware presented at
the OS level (device nodes, sysfs, procfs, vendor tools). ``python -m tests.lab up 3``.
"""

from tests.lab.lab import Lab, LabDevice, lab_unavailable_reason

__all__ = ["Lab", "LabDevice", "lab_unavailable_reason"]
