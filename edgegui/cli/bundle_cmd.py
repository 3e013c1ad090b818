"""``edgegui bundle create|verify|keygen``: offline image bundles carried to site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from edgegui.cli.common import add_json_option, print_json
from edgegui.cli.deploy_cmd import print_progress
from edgegui.core.bundle import (
    BundleError,
    create_bundle,
    generate_key_pair,
    verify_bundle,
)
from edgegui.core.templates import load_template, parse_set_values


def register(subparsers: Any) -> None:
    bundle = subparsers.add_parser("bundle", help="make and check offline image bundles")
    actions = bundle.add_subparsers(dest="bundle_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="pack images from this computer's Docker Engine")
    create.add_argument("--template", metavar="NAME", help="take the template's images")
    create.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE")
    create.add_argument("--image", action="append", default=[], metavar="REF")
    create.add_argument(
        "--archive", action="append", default=[], type=Path, metavar="FILE", help="docker save"
    )
    create.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    create.add_argument("--sign", type=Path, metavar="KEY", help="ed25519 private key (PEM)")
    add_json_option(create)
    create.set_defaults(func=_create)
    verify = actions.add_parser("verify", help="check a bundle's digests and signature")
    verify.add_argument("file", type=Path)
    verify.add_argument("--public-key", type=Path, metavar="FILE", help="require this signer")
    add_json_option(verify)
    verify.set_defaults(func=_verify)
    keygen = actions.add_parser("keygen", help="make an ed25519 key pair for signing")
    keygen.add_argument("private", type=Path)
    keygen.add_argument("public", type=Path)
    keygen.set_defaults(func=_keygen)


def template_images(name: str, values: dict[str, str]) -> list[str]:
    """Images a template runs: its image parameters, with ``--set`` overrides."""
    template = load_template(name)
    return [
        str(values.get(spec.name, spec.default))
        for spec in template.parameters.values()
        if spec.type == "image"
    ]


def _create(args: argparse.Namespace) -> int:
    images = list(args.image)
    if args.template:
        images += template_images(args.template, parse_set_values(args.values))
    images = list(dict.fromkeys(images))
    client = None
    if images:
        import docker
        import docker.errors

        try:
            client = docker.from_env()
        except docker.errors.DockerException as exc:
            raise BundleError(f"this computer's Docker Engine is not reachable: {exc}") from None
    manifest = create_bundle(
        args.output,
        archives=args.archive,
        images=images,
        client=client,
        template=args.template,
        signing_key=args.sign,
        progress=None if args.json else print_progress,
    )
    if args.json:
        print_json({"file": str(args.output), **manifest.summary()})
    else:
        size = args.output.stat().st_size
        print(f"wrote {args.output} ({size} bytes, {len(manifest.images)} images)")
    return 0


def _verify(args: argparse.Namespace) -> int:
    manifest = verify_bundle(args.file, public_key=args.public_key)
    if args.json:
        print_json({"file": str(args.file), "ok": True, **manifest.summary()})
        return 0
    signature = (
        "signature verified"
        if manifest.signature_verified
        else ("signed (no --public-key given)" if manifest.signed else "not signed")
    )
    print(f"{args.file}: digests and images OK, {signature}")
    for image in manifest.images:
        print(f"  {', '.join(image.refs)}  {image.platform}  {image.image_id}")
        for digest in image.repo_digests:
            print(f"    registry digest {digest}")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    generate_key_pair(args.private, args.public)
    print(f"wrote {args.private} (keep it secret) and {args.public}")
    return 0
