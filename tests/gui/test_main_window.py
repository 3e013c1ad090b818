"""The main window starts offscreen and lists this computer as the default device."""

from edgegui.gui.main_window import MainWindow


def test_this_computer_is_the_default_device(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    item = window.devices.currentItem()
    assert item.text() == "This computer"
    assert item.data(256) == "local://"
