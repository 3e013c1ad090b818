"""Saved devices, history and preferences in SQLite."""

from edgegui.gui.store import DeviceStore, SavedDevice


def test_devices_history_and_preferences_survive_reopening(tmp_path):
    path = tmp_path / "edgegui.sqlite3"
    store = DeviceStore(path)
    store.save_device(SavedDevice("ssh://tech@10.0.0.5", "gw-7", "/keys/id", "tech"))
    store.record("ssh://tech@10.0.0.5", "connect", "ok")
    store.set_preference("dark", "1")
    store.close()
    again = DeviceStore(path)
    [device] = again.devices()
    assert (device.name, device.identity, device.last_status) == ("gw-7", "/keys/id", "connect: ok")
    assert device.last_seen is not None
    assert [h.action for h in again.history("ssh://tech@10.0.0.5")] == ["connect"]
    assert again.preference("dark") == "1"
    assert again.preference("large", "0") == "0"
    again.forget_device("ssh://tech@10.0.0.5")
    assert again.devices() == []
    again.close()


def test_saving_again_updates_without_losing_the_status(tmp_path):
    store = DeviceStore(tmp_path / "s.sqlite3")
    store.save_device(SavedDevice("serial:///dev/ttyUSB0?baud=115200", "ttyUSB0"))
    store.record("serial:///dev/ttyUSB0?baud=115200", "deploy", "retail: healthy")
    store.save_device(SavedDevice("serial:///dev/ttyUSB0?baud=115200", "till 2", user="tech"))
    [device] = store.devices()
    assert (device.name, device.user, device.last_status) == (
        "till 2",
        "tech",
        "deploy: retail: healthy",
    )
    store.close()


def test_sites_group_devices_and_survive_a_save_without_one(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)  # a store from before sites existed
    old.execute(
        "CREATE TABLE devices (target TEXT PRIMARY KEY, name TEXT NOT NULL, identity TEXT,"
        " user TEXT, last_seen REAL, last_status TEXT NOT NULL DEFAULT '')"
    )
    old.execute("INSERT INTO devices (target, name) VALUES ('ssh://tech@10.0.0.5', 'gw-7')")
    old.commit()
    old.close()
    store = DeviceStore(path)
    assert store.devices()[0].site == ""
    store.set_site("ssh://tech@10.0.0.5", "Plant 2")
    store.save_device(SavedDevice("ssh://tech@10.0.0.5", "gw-7 line 3"))  # no site given
    store.rename_device("ssh://tech@10.0.0.5", "line-3 gateway")
    [device] = store.devices()
    assert (device.name, device.site) == ("line-3 gateway", "Plant 2")
    store.close()
