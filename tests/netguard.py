"""Block every network connection during the tests, except the PostgreSQL test server."""

from __future__ import annotations

import socket

_GUARDED = ("connect", "connect_ex", "sendto")


class NetworkBlocked(RuntimeError):
    """Raised instead of opening a network connection."""


class NetworkGuard:
    """Replaces socket connect/sendto and getaddrinfo; records every refused attempt."""

    def __init__(self, allowed: set[tuple[str, int]]) -> None:
        self.allowed = set(allowed)
        self.attempts: list[str] = []
        self._saved: dict[str, object] = {}

    def _permitted(self, family, address) -> bool:
        if family == getattr(socket, "AF_UNIX", object()):
            return True
        if isinstance(address, tuple) and len(address) >= 2:
            return (str(address[0]), int(address[1])) in self.allowed
        return False

    def _refuse(self, what: str, address) -> None:
        self.attempts.append(f"{what} {address!r}")
        raise NetworkBlocked(f"network access during tests: {what} {address!r}")

    def install(self) -> None:
        guard = self
        for name in _GUARDED:
            real = getattr(socket.socket, name)
            self._saved[name] = real

            def guarded(sock, *args, _real=real, _name=name):
                address = args[-1] if args else None
                if not guard._permitted(sock.family, address):
                    guard._refuse(_name, address)
                return _real(sock, *args)

            setattr(socket.socket, name, guarded)
        real_getaddrinfo = socket.getaddrinfo
        self._saved["getaddrinfo"] = real_getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            try:
                wanted = (str(host), int(port))
            except (TypeError, ValueError):
                wanted = (str(host), -1)
            if wanted not in self.allowed:
                guard._refuse("getaddrinfo", (host, port))
            return real_getaddrinfo(host, port, *args, **kwargs)

        socket.getaddrinfo = getaddrinfo

    def uninstall(self) -> None:
        for name in _GUARDED:
            setattr(socket.socket, name, self._saved[name])
        socket.getaddrinfo = self._saved["getaddrinfo"]
