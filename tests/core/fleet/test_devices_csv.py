"""The fleet's device list: credentials only by reference, one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgegui.core.fleet import DeviceListError, read_devices
from edgegui.core.fleet.devices_csv import check_references
from edgegui.core.templates import load_template


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "devices.csv"
    path.write_text(text)
    return path


def test_rows_with_references_and_parameters(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    path = write(
        tmp_path,
        "# store roll-out, night 1\n"
        "target,name,site,identity,password_env,STORE_ID,CLOUD_API_TOKEN_env\n"
        "ssh://tech@10.0.0.5,pos-17,Store 17,keys/id_ed25519,POS_PW,s-17,TOKEN_17\n"
        "ssh://tech@10.0.0.6:2222,,Store 18,,,s-18,\n",
    )
    first, second = read_devices(path, frozenset({"CLOUD_API_TOKEN"}))
    assert first.name == "pos-17" and first.site == "Store 17"
    assert first.identity == tmp_path / "keys" / "id_ed25519"
    assert first.password_env == "POS_PW" and first.values == {"STORE_ID": "s-17"}
    assert first.secret_env == {"CLOUD_API_TOKEN": "TOKEN_17"}
    assert second.name == "10.0.0.6" and second.target == "ssh://tech@10.0.0.6:2222"


@pytest.mark.parametrize("column", ["password", "Passwd", "pw", "secret", "api_key", "token"])
def test_a_password_column_is_refused_in_one_line(tmp_path: Path, column: str) -> None:
    path = write(tmp_path, f"target,{column}\nssh://tech@10.0.0.5,hunter2\n")
    with pytest.raises(DeviceListError, match=f"column '{column}' would keep a credential") as e:
        read_devices(path)
    assert "hunter2" not in str(e.value) and "\n" not in str(e.value)


def test_a_password_pasted_into_password_env_is_not_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, "target,password_env\nssh://tech@10.0.0.5,S3cr3t!pass\n")
    with pytest.raises(DeviceListError, match="not the name of an environment variable") as e:
        read_devices(path)
    assert "S3cr3t" not in str(e.value)


def test_a_secret_parameter_value_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "target,CLOUD_API_TOKEN\nssh://tech@10.0.0.5,tok\n")
    with pytest.raises(DeviceListError, match="CLOUD_API_TOKEN_env instead"):
        read_devices(path, frozenset({"CLOUD_API_TOKEN"}))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name\npos\n", "no 'target' column"),
        ("target,name\nftp://x,pos\n", r"devices.csv:2: "),
        ("target,name\nssh://a@b,pos\nssh://a@c,pos\n", "name pos is also on line 2"),
        ("target,target\nssh://a@b,ssh://a@c\n", "appears twice"),
        ("target\n", "no devices"),
        ("target,name\nssh://a@b,../etc\n", "name '../etc'"),
    ],
)
def test_bad_lists_name_the_line(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(DeviceListError, match=problem):
        read_devices(write(tmp_path, text))


def test_references_are_checked_before_anything_connects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = load_template("retail")
    monkeypatch.delenv("NOT_SET_PW", raising=False)
    path = write(tmp_path, "target,password_env\nssh://tech@10.0.0.5,NOT_SET_PW\n")
    with pytest.raises(DeviceListError, match="NOT_SET_PW is unset"):
        check_references(read_devices(path), template.parameters)
    path = write(tmp_path, "target,SHOP\nssh://tech@10.0.0.5,x\n")
    with pytest.raises(DeviceListError, match="column SHOP is neither"):
        check_references(read_devices(path), template.parameters)
    path = write(tmp_path, "target,identity\nssh://tech@10.0.0.5,missing_key\n")
    with pytest.raises(DeviceListError, match="no value for the secret CLOUD_API_TOKEN"):
        check_references(read_devices(path), template.parameters)
    with pytest.raises(DeviceListError, match="identity .*missing_key is not a file"):
        check_references(read_devices(path), template.parameters, frozenset({"CLOUD_API_TOKEN"}))
