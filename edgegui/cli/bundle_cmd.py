"""``edgegui bundle create|verify|keygen``: offline image bundles carried to site."""

from __future__ import annotations

import argparse

from edgegui.cli.common import print_json
from edgegui.cli.deploy_cmd import print_progress
from edgegui.core.bundle import (
    BundleError,
    create_bundle,
    generate_key_pair,
    verify_bundle,
)
from edgegui.core.templates import load_template, parse_set_values


def template_images(name: str, values: dict[str, str]) -> list[str]:
    """Images a template runs: its image parameters, with ``--set`` overrides."""
    template = load_template(name)
    return [
        str(values.get(spec.name, spec.default))
        for spec in template.parameters.values()
        if spec.type == "image"
    ]


def run_create(args: argparse.Namespace) -> int:
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


def run_verify(args: argparse.Namespace) -> int:
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


def run_keygen(args: argparse.Namespace) -> int:
    generate_key_pair(args.private, args.public)
    print(f"wrote {args.private} (keep it secret) and {args.public}")
    return 0
