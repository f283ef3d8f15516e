"""Sealing ballots, and the custody of each box's private key.

Each box has its own X25519 key pair (libsodium through PyNaCl). The public key is on
the box row; a ballot is a sealed box (an ephemeral key per ballot, so two equal ballots
give unrelated ciphertexts) of the ballot's JSON padded to the box's one size.

The private key is a file, ``BALLOT_KEY_DIR/<box id>.key`` (mode 0600), on the
application server and never in the database, its dumps or its write-ahead log. The
close reads it, opens the ballots and deletes it (overwritten first): from then on no
copy of a sealed ballot, in a backup or in the WAL, can be opened. The operational
steps (the directory on a persistent volume readable by the application's user only,
kept out of backups) are in docs/security.md, 'The secret ballot'.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox


class KeyMissing(Exception):
    """The box's key file is not on this server: the ballots cannot be opened here."""


def key_dir() -> Path:
    return Path(getattr(settings, "BALLOT_KEY_DIR", Path(settings.VAR_DIR) / "ballot-keys"))


def _key_path(box_id: Any) -> Path:
    return key_dir() / f"{box_id}.key"


def new_key_pair(box_id: Any) -> bytes:
    """Make the box's key pair, write the private key's file, return the public key."""
    private = PrivateKey.generate()
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = _key_path(box_id)
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(bytes(private))
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)  # the key appears only when complete
    return bytes(private.public_key)


def private_key(box_id: Any) -> PrivateKey:
    try:
        return PrivateKey(_key_path(box_id).read_bytes())
    except FileNotFoundError:
        raise KeyMissing(str(box_id)) from None


def destroy_key(box_id: Any) -> None:
    """Overwrite and delete the key file (a no-op if it is gone already)."""
    path = _key_path(box_id)
    try:
        with path.open("r+b") as file:
            file.write(os.urandom(32))
            file.flush()
            os.fsync(file.fileno())
        path.unlink()
    except FileNotFoundError:
        return


def seal(public_key: bytes, payload: dict[str, Any], size: int) -> bytes:
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    if len(data) > size:
        raise ValueError("ballot longer than the box's padded size")
    # Trailing spaces: JSON ignores them, and every ciphertext of the box is one length.
    return SealedBox(PublicKey(bytes(public_key))).encrypt(data.ljust(size))


def unseal(key: PrivateKey, sealed: bytes) -> dict[str, Any]:
    opened: dict[str, Any] = json.loads(SealedBox(key).decrypt(bytes(sealed)))
    return opened


def paper_digest(key: PrivateKey, sheet: int, marks: dict[str, Any]) -> str:
    """A reading's digest, keyed with a key derived from the private key: equal for two
    equal readings of one sheet, and meaningless to anyone without the key file (a
    sheet's possible readings are few enough to try them all against an unkeyed hash)."""
    derived = blake2b(bytes(key), digest_size=32, person=b"paper-reading", encoder=RawEncoder)
    text = json.dumps([sheet, marks], separators=(",", ":"), sort_keys=True).encode()
    return blake2b(text, key=derived, digest_size=32).decode()
