"""Redaction rules: given values, secret-looking names, flags, URLs, encodings."""

from __future__ import annotations

import base64
import json
import urllib.parse

import pytest

from edgegui.core.diagnose import Redactor, is_secret_name, secret_template_values
from edgegui.core.diagnose.redact import MASK


@pytest.mark.parametrize(
    "name",
    [
        "MQTT_TOKEN",
        "db_password",
        "ADMIN_PASSWD",
        "APP_SECRET",
        "API_KEY",
        "aws_credentials",
        "GCP_CREDENTIAL",
        "key",
    ],
)
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["PATH", "KEY_FILE", "TOKEN_URL", "HOSTNAME", "PASSWORD_FILE"])
def test_not_secret_names(name):
    assert not is_secret_name(name)


def test_known_values_are_masked_in_every_encoding():
    secret = "p@ss w0rd/+?&é"
    redactor = Redactor([secret])
    text = " ".join(
        [
            secret,
            json.dumps(secret),
            urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret),
            base64.b64encode(secret.encode()).decode(),
        ]
    )
    out = redactor.text(text)
    assert secret not in out and "w0rd" not in out
    assert not redactor.holds_known(out)


def test_environment_teaches_values_masked_everywhere():
    redactor = Redactor()
    redactor.learn_from_inspect(
        {"Config": {"Env": ["MQTT_TOKEN=tok-123456", "SITE=berlin", "PATH=/bin"]}}
    )
    assert (
        redactor.text("connected with tok-123456 at berlin") == f"connected with {MASK} at berlin"
    )


def test_assignments_in_free_text():
    redactor = Redactor()
    text = (
        "DB_PASSWORD=hunter2 password: swordfish apiKey=abc --db-password letmein "
        '{"client_secret": "xyz"} http://user:pa55@broker:1883 '
        "Authorization: Bearer eyJhbGciOi1234 "
        "monkey=banana the key is lost KEY_FILE=/run/secrets/k"
    )
    out = redactor.text(text)
    for secret in ("hunter2", "swordfish", "abc", "letmein", "xyz", "pa55", "eyJhbGciOi1234"):
        assert secret not in out
    assert "monkey=banana" in out and "the key is lost" in out and "user:" in out
    assert "KEY_FILE=/run/secrets/k" in out


def test_inspect_tree_masks_env_flags_and_secret_keys_but_keeps_the_rest():
    redactor = Redactor(["tpl-secret-1"])
    tree = {
        "Config": {
            "Env": ["API_KEY=k", "SITE=berlin"],
            "Cmd": [
                "--db-password",
                "hunter2",
                "--user",
                "bob",
                "--token=t0k",
                "--name=tpl-secret-1",
            ],
            "Labels": {"com.example.secret": "s", "tpl-secret-1": "v", "port": "80"},
        },
        "Password": "x",
        "RestartCount": 3,
    }
    out = redactor.tree(tree)
    assert out["Config"]["Env"] == [f"API_KEY={MASK}", "SITE=berlin"]
    assert out["Config"]["Cmd"] == [
        "--db-password",
        MASK,
        "--user",
        "bob",
        f"--token={MASK}",
        f"--name={MASK}",
    ]
    assert out["Config"]["Labels"] == {"com.example.secret": MASK, MASK: "v", "port": "80"}
    assert out["Password"] == MASK and out["RestartCount"] == 3
    assert redactor.masked >= 6


def test_short_values_only_where_a_name_points():
    redactor = Redactor(["ab"])  # too short to mask everywhere: "ab" is in many words
    redactor.learn_from_inspect({"Config": {"Env": ["PIN_TOKEN=42"]}})
    assert redactor.text("about 42 tables, PIN_TOKEN=42") == f"about 42 tables, PIN_TOKEN={MASK}"


def test_template_secret_values():
    values = {"mqtt_password": "pw-1234", "site": "berlin", "api_token": None}
    assert secret_template_values(values, {"mqtt_password", "api_token"}) == ["pw-1234"]


def test_repr_never_shows_values():
    assert "hunter2" not in repr(Redactor(["hunter2"]))
