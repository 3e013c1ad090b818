"""Simulated field devices behind a lab serial adapter (run by socat on the pty's far end).

``modbus``: answers each request frame with an echo carrying the same unit id (enough to see
real bytes cross the adapter); ``scanner``: prints a barcode line every few seconds;
``silent``: reads and says nothing; ``garbled``: a console at the wrong baud rate, where
every byte sent or printed arrives as a burst of noise.
"""

from __future__ import annotations

import os
import sys
import time


def modbus() -> None:
    while True:
        data = os.read(0, 256)
        if not data:
            return
        os.write(1, data)


def scanner() -> None:
    codes = [b"4006381333931\r\n", b"5901234123457\r\n", b"0012345678905\r\n"]
    index = 0
    while True:
        time.sleep(3)
        os.write(1, codes[index % len(codes)])
        index += 1


def garbled() -> None:
    noise = bytes(range(0x80, 0x100))
    os.write(1, noise[:24])  # the "login:" prompt, at the wrong speed
    while True:
        data = os.read(0, 256)
        if not data:
            return
        os.write(1, bytes(noise[(b * 7) % len(noise)] for b in data * 2))


def silent() -> None:
    while os.read(0, 256):
        pass


if __name__ == "__main__":
    kinds = {"modbus": modbus, "scanner": scanner, "silent": silent, "garbled": garbled}
    kinds.get(sys.argv[1], silent)()
