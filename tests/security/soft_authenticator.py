"""A software authenticator for the server's side of the WebAuthn ceremonies.

It builds what a browser and a security key send (WebAuthn Level 2 § 6.1, § 6.5.4, § 8.7 "none"
attestation): authenticatorData, clientDataJSON and an EC P-256 signature (ES256, COSE -7),
with ``cryptography`` and ``cbor2``, as py_webauthn's own tests do with recorded answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED_DATA = 0x40


def b64(data: bytes) -> str:
    return bytes_to_base64url(data)


@dataclass
class SoftAuthenticator:
    rp_id: str
    origin: str
    sign_count: int = 0
    # Authenticators without a counter (many passkeys) send 0 every time.
    counting: bool = True
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )

    def _cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _rp_hash(self, rp_id: str | None) -> bytes:
        return hashlib.sha256((rp_id or self.rp_id).encode()).digest()

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def register(
        self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None
    ) -> dict[str, Any]:
        """The answer to navigator.credentials.create(options), as the page's script sends it."""
        auth_data = (
            self._rp_hash(rp_id)
            + bytes([FLAG_USER_PRESENT | FLAG_ATTESTED_DATA])
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["usb", "nfc"],
            },
        }

    def sign(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: str | None = None,
    ) -> dict[str, Any]:
        """The answer to navigator.credentials.get(options)."""
        if self.counting:
            self.sign_count += 1
        auth_data = (
            self._rp_hash(rp_id)
            + bytes([FLAG_USER_PRESENT])
            + struct.pack(">I", self.sign_count if self.counting else 0)
        )
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        signature = self.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": None,
            },
        }

    def clone(self) -> SoftAuthenticator:
        """A copy of the key with the same secret, as an attacker who extracted it would hold."""
        return SoftAuthenticator(
            rp_id=self.rp_id,
            origin=self.origin,
            sign_count=self.sign_count,
            counting=self.counting,
            credential_id=self.credential_id,
            private_key=self.private_key,
        )
