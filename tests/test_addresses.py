"""The join address on a facilitator's laptop: recorded interface lists of the three systems
(as psutil lists them there), fed to the chooser."""

from __future__ import annotations

from workshop import addresses

# A Windows laptop on the venue's Wi-Fi with a VPN client running and WSL installed.
WINDOWS_WITH_VPN = {
    "Ethernet": ["169.254.83.107"],  # cable unplugged: an automatic private address
    "OpenVPN Data Channel Offload": ["10.8.0.6"],
    "vEthernet (WSL)": ["172.26.32.1"],
    "Local Area Connection* 10": ["169.254.12.9"],
    "Wi-Fi": ["192.168.1.23"],
    "Loopback Pseudo-Interface 1": ["127.0.0.1"],
}
# A Mac on the Wi-Fi (en0) with Docker Desktop (its vmnet bridge) and a VPN (utun).
MAC_WITH_DOCKER = {
    "lo0": ["127.0.0.1"],
    "utun4": ["100.96.12.3"],
    "bridge100": ["192.168.64.1"],
    "en0": ["192.168.0.42"],
    "awdl0": [],
    "en5": ["169.254.200.1"],
}
# A Linux laptop on a cable and the Wi-Fi, with Docker, libvirt and a VPN.
LINUX_WITH_BRIDGES = {
    "lo": ["127.0.0.1"],
    "docker0": ["172.17.0.1"],
    "br-3f2a1c9e7d01": ["172.18.0.1"],
    "virbr0": ["192.168.122.1"],
    "tun0": ["10.8.0.2"],
    "wlp0s20f3": ["10.42.7.15"],
    "enp0s31f6": ["10.42.7.16"],
}


def test_windows_laptop_with_a_vpn_projects_its_wifi_address():
    ranked = addresses.rank(WINDOWS_WITH_VPN)
    assert addresses.best(ranked) == "192.168.1.23"
    assert [c.address for c in ranked] == ["192.168.1.23", "10.8.0.6", "172.26.32.1", "169.254.83.107", "169.254.12.9"]
    assert [c.kind for c in ranked] == ["wifi", "vpn", "virtual", "link_local", "link_local"]
    assert [c.address for c in ranked if c.plausible] == ["192.168.1.23"]


def test_mac_with_docker_desktop_projects_en0():
    ranked = addresses.rank(MAC_WITH_DOCKER)
    assert addresses.best(ranked) == "192.168.0.42"
    assert [(c.interface, c.kind) for c in ranked] == [
        ("en0", "ethernet"),
        ("utun4", "vpn"),
        ("bridge100", "virtual"),
        ("en5", "link_local"),
    ]


def test_linux_laptop_with_bridges_offers_wifi_then_cable():
    ranked = addresses.rank(LINUX_WITH_BRIDGES)
    assert addresses.best(ranked) == "10.42.7.15"
    assert [c.interface for c in ranked if c.plausible] == ["wlp0s20f3", "enp0s31f6"]  # both offered in the console
    assert {c.interface for c in ranked if c.kind == "virtual"} == {"docker0", "br-3f2a1c9e7d01", "virbr0"}


def test_interfaces_that_are_down_or_odd_are_left_out():
    ranked = addresses.rank({"wlan0": ["192.168.1.5", "fe80::1", "not an address"], "eth0": ["10.0.0.3"]}, down=["eth0"])
    assert [c.address for c in ranked] == ["192.168.1.5"]


def test_only_a_vpn_or_nothing_at_all():
    assert addresses.best(addresses.rank({"tun0": ["10.8.0.2"]})) == "10.8.0.2"  # better than localhost
    assert addresses.best(addresses.rank({"lo": ["127.0.0.1"]})) is None


def test_this_machine_lists_its_interfaces_without_running_a_command(monkeypatch):
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError("no system command on the laptop's path")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    found = addresses.local_interfaces()
    assert all(not c.address.startswith("127.") for c in found)
