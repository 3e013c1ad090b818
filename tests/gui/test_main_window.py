"""The main window: default device, saved devices, keyboard navigation, themes, offline wizard."""

from PySide6.QtCore import Qt

from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import SavedDevice
from tests.gui.conftest import show_wizard


def test_this_computer_is_the_default_device(qtbot, aloop):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    item = window.devices.currentItem()
    assert item.text() == "This computer"
    assert item.data(256) == "local://"
    qtbot.waitUntil(lambda: window.connect_screen.hosts.count() > 0)  # ssh config, recent
    window.shutdown()


def test_saved_devices_are_listed_and_fill_the_connect_form(qtbot, aloop, store):
    store.save_device(SavedDevice("ssh://tech@10.0.0.5:2222", "gateway 7"))
    window = MainWindow(store=store, auto_discover=False)
    qtbot.addWidget(window)
    assert [window.devices.item(i).text() for i in range(window.devices.count())] == [
        "This computer",
        "gateway 7",
    ]
    window.devices.setCurrentRow(1)
    assert window.screens.count() == 6 and "Devices" not in window.screen_names  # + Fleet
    screen = window.connect_screen
    assert (screen.ssh.host.text(), screen.ssh.port.value()) == ("10.0.0.5", 2222)
    assert screen.target_uri() == "ssh://tech@10.0.0.5:2222"
    window.shutdown()


def test_every_screen_is_one_shortcut_away(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for index in reversed(range(window.screens.count())):
        key = Qt.Key(Qt.Key.Key_1.value + index)
        qtbot.keyClick(window.devices, key, Qt.KeyboardModifier.ControlModifier)
        assert window.screens.currentIndex() == index


def test_dark_theme_and_large_controls_are_remembered(qtbot, window, qapp):
    base = qapp.palette().window().color().lightness()
    window.dark_action.setChecked(True)
    window.large_action.setChecked(True)
    assert qapp.palette().window().color().lightness() < base
    assert qapp.font().pointSize() == 14
    assert window.ctx.store.preference("dark") == "1"
    window.dark_action.setChecked(False)
    window.large_action.setChecked(False)
    assert qapp.font().pointSize() == 10


def test_wizard_offline_reaches_settings_and_blocks_invalid_values(qtbot, window):
    wizard = window.wizard
    show_wizard(qtbot, window)
    assert len(wizard.choose.cards) >= 4  # industrial, retail, telecom, ai
    wizard.choose.select("industrial")
    with qtbot.waitSignal(wizard.step_changed):
        wizard.next_button.click()
    assert wizard.step == 1
    assert wizard.params.fields
    assert wizard.back_button.isEnabled()
    wizard.back()
    assert wizard.step == 0


def test_device_list_groups_by_site_with_status_and_last_seen(qtbot, aloop, store):
    from edgegui.gui.side.devicelist import DETAIL_ROLE, HEADER_ROLE, STATUS_ROLE

    store.save_device(SavedDevice("ssh://tech@10.0.0.5", "line-3 gateway", site="Plant 2"))
    store.save_device(SavedDevice("serial:///dev/ttyUSB0?baud=115200", "till 2", site="Store 17"))
    store.save_device(SavedDevice("ssh://tech@10.0.0.9", "spare"))
    store.record("ssh://tech@10.0.0.5", "connect", "ok")
    store.record("ssh://tech@10.0.0.9", "connect", "failed")
    window = MainWindow(store=store, auto_discover=False)
    qtbot.addWidget(window)
    rows = [window.devices.item(i) for i in range(window.devices.count())]
    assert [(r.text(), bool(r.data(HEADER_ROLE))) for r in rows] == [
        ("This computer", False),
        ("No site", True),
        ("spare", False),
        ("Plant 2", True),
        ("line-3 gateway", False),
        ("Store 17", True),
        ("till 2", False),
    ]
    status = {r.text(): r.data(STATUS_ROLE) for r in rows if not r.data(HEADER_ROLE)}
    assert status == {
        "This computer": "reachable",
        "spare": "unreachable",
        "line-3 gateway": "reachable",
        "till 2": "never seen",
    }
    assert rows[4].data(DETAIL_ROLE) == "SSH · seen just now"
    assert rows[6].data(DETAIL_ROLE) == "Serial · never seen"
    window.devices.set_reachable("ssh://tech@10.0.0.5", False)  # a LAN scan says so
    assert rows[4].data(STATUS_ROLE) == "unreachable"
    window.shutdown()
