"""Which of this machine's addresses phones on the room's Wi-Fi can reach: the network
interfaces (psutil, on Windows, macOS and Linux alike), ranked so the Wi-Fi or Ethernet private
address comes before VPNs, container bridges and link-local ones.

Why names: an address alone cannot tell a home router's 192.168.1.20 from a virtual machine
bridge's 192.168.122.1 or a VPN's 10.8.0.6; the interface names that systems give those
(`utun3`, `docker0`, `vEthernet (WSL)`) can. Data in, data out: `rank` takes a recorded list.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Kinds, best first: the room's network is almost always the Wi-Fi (or a cable) of the laptop.
KINDS = ("wifi", "ethernet", "other", "vpn", "virtual", "link_local")

# Interface names (case-folded) by kind; the first pattern that matches decides.
_NAME_KINDS: tuple[tuple[str, str], ...] = (
    (
        "vpn",
        r"^(utun|tun|tap|wg|ppp|ipsec|gpd|zt|tailscale|nordlynx|proton)|vpn|wireguard|tap-windows|forti|anyconnect|globalprotect|pangp|zerotier|tailscale|data channel offload",
    ),
    (
        "virtual",
        r"^(docker|br-|virbr|veth|vboxnet|vmnet|vmenet|bridge\d|lxcbr|lxdbr|cni|flannel|podman|awdl|llw|anpi|ap\d)|vethernet|virtualbox|vmware|hyper-v|wsl|loopback",
    ),
    ("wifi", r"^(wlan|wlp|wlo|wlx|wl\d)|wi-?fi|wlan|wireless|airport"),
    ("ethernet", r"^(eth|enp|eno|ens|enx|em\d|en\d)|ethernet|local area connection|connexion au réseau local"),
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # Tailscale and other overlay VPNs hand these out


@dataclass(frozen=True)
class Candidate:
    """One address phones might open, with the interface it belongs to and its kind."""

    interface: str
    address: str
    kind: str

    @property
    def plausible(self) -> bool:
        """A private address on a real network card: what a room's Wi-Fi gives a laptop."""
        return self.kind in ("wifi", "ethernet", "other") and ipaddress.ip_address(self.address).is_private


def kind_of(interface: str, address: str) -> str:
    """The kind of an interface, from its name and address (KINDS)."""
    ip = ipaddress.ip_address(address)
    if ip.is_link_local:
        return "link_local"
    name = interface.casefold()
    for kind, pattern in _NAME_KINDS:
        if re.search(pattern, name):
            return kind
    return "vpn" if ip in _CGNAT else "other"


def rank(interfaces: Mapping[str, Sequence[str]], *, down: Sequence[str] = ()) -> list[Candidate]:
    """Every IPv4 address that is not loopback, best first: by kind, then private before public,
    then in the system's order. `interfaces` maps an interface name to its addresses."""
    found = []
    for position, (name, addrs) in enumerate(interfaces.items()):
        if name in down:
            continue
        for address in addrs:
            try:
                ip = ipaddress.ip_address(address)
            except ValueError:
                continue
            if ip.version != 4 or ip.is_loopback or ip.is_unspecified or ip.is_multicast:
                continue
            found.append((position, Candidate(name, address, kind_of(name, address))))
    found.sort(key=lambda item: (KINDS.index(item[1].kind), not ipaddress.ip_address(item[1].address).is_private, item[0]))
    return [candidate for _, candidate in found]


def best(candidates: Sequence[Candidate]) -> str | None:
    """The address to put in the QR: the first plausible one, else the first one at all."""
    for candidate in candidates:
        if candidate.plausible:
            return candidate.address
    return candidates[0].address if candidates else None


def local_interfaces() -> list[Candidate]:
    """This machine's candidates, read from the system (no command run, no traffic sent)."""
    import socket

    import psutil

    try:
        stats = psutil.net_if_stats()
        listed = psutil.net_if_addrs()
    except (OSError, RuntimeError):
        return []
    addrs = {name: [a.address for a in entries if a.family == socket.AF_INET] for name, entries in listed.items()}
    down = [name for name, stat in stats.items() if not stat.isup]
    return rank(addrs, down=down)
