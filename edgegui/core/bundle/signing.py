"""ed25519 signatures over a bundle's manifest (keys in PEM files)."""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from edgegui.core.bundle.errors import BundleError, BundleTampered


def generate_key_pair(private_path: Path, public_path: Path) -> None:
    """Write a new private key (PEM, mode 0600) and its public key (PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path.touch(mode=0o600, exist_ok=False)
    private_path.write_bytes(private)
    public_path.write_bytes(public)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise BundleError(f"{path}: not a readable unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"{path}: not an ed25519 private key")
    return key


def load_public_key(source: Path | bytes) -> Ed25519PublicKey:
    where = str(source) if isinstance(source, Path) else "public key"
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        key = serialization.load_pem_public_key(data)
    except (OSError, ValueError) as exc:
        raise BundleError(f"{where}: not a readable PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError(f"{where}: not an ed25519 public key")
    return key


def sign(manifest: bytes, key: Ed25519PrivateKey) -> bytes:
    return key.sign(manifest)


def check_signature(manifest: bytes, signature: bytes, key: Ed25519PublicKey, where: str) -> None:
    try:
        key.verify(signature, manifest)
    except InvalidSignature:
        raise BundleTampered(f"{where}: the signature does not match the manifest") from None
