"""The main window: default device, saved devices, keyboard navigation, themes, offline wizard."""

from PySide6.QtCore import Qt

from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import SavedDevice
from tests.gui.conftest import show_wizard


def test_this_computer_is_the_default_device(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    item = window.devices.currentItem()
    assert item.text() == "This computer"
    assert item.data(256) == "local://"


def test_saved_devices_are_listed_and_fill_the_connect_form(qtbot, aloop, store):
    store.save_device(SavedDevice("ssh://tech@10.0.0.5:2222", "gateway 7"))
    window = MainWindow(store=store, auto_discover=False)
    qtbot.addWidget(window)
    assert [window.devices.item(i).text() for i in range(window.devices.count())] == [
        "This computer",
        "gateway 7",
    ]
    window.devices.setCurrentRow(1)
    screen = window.connect_screen
    assert (screen.ssh.host.text(), screen.ssh.port.value()) == ("10.0.0.5", 2222)
    assert screen.target_uri() == "ssh://tech@10.0.0.5:2222"
    assert window.devices_screen.table.rowCount() == 2
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
    assert wizard.choose.list.count() >= 4  # industrial, retail, telecom, ai
    wizard.choose.select("industrial")
    with qtbot.waitSignal(wizard.step_changed):
        wizard.next_button.click()
    assert wizard.step == 1
    assert wizard.params.fields
    assert wizard.back_button.isEnabled()
    wizard.back()
    assert wizard.step == 0
