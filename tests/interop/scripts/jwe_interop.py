#!/usr/bin/env python3
"""Makes keys for, encrypts and decrypts JWE compact tokens with jwcrypto, for tests/interop/TestJweInterop.cpp.

Usage:
  jwe_interop.py keygen  KIND                         -> prints a private JWK (KIND: RSA, P-256, P-384, P-521,
                                                         X25519, X448, oct:BYTES, password)
  jwe_interop.py encrypt ALG ENC KEYFILE PLAINTEXT_HEX -> prints the compact JWE (the JWK's public half for RSA/ECDH)
  jwe_interop.py decrypt KEYFILE TOKEN                 -> prints the plaintext as hex (exit 0) or "invalid: REASON"
                                                         (exit 1)
  jwe_interop.py serve                                -> reads one JSON array of the arguments above a line and
                                                         answers each with one JSON object {"exit": N, "out": TEXT,
                                                         "err": TEXT}, so a test pays for one start, not hundreds

KEYFILE is a JWK; a PBES2 password is an "oct" JWK whose k is the password's bytes (jwcrypto's way). Exit 2 on a
usage or environment error.
"""
import base64
import json
import sys

ALL_ALGS = [
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW",
    "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW", "PBES2-HS512+A256KW", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM",
    "A192GCM", "A256GCM",
]


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def keygen(kind):
    from jwcrypto import jwk

    if kind == "RSA":
        key = jwk.JWK.generate(kty="RSA", size=2048)
    elif kind in ("P-256", "P-384", "P-521"):
        key = jwk.JWK.generate(kty="EC", crv=kind)
    elif kind in ("X25519", "X448"):
        key = jwk.JWK.generate(kty="OKP", crv=kind)
    elif kind.startswith("oct:"):
        key = jwk.JWK.generate(kty="oct", size=int(kind[4:]) * 8)
    elif kind == "password":
        password = b"interop password \xe2\x80\x93 with a dash"
        key = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(password).rstrip(b"=").decode())
    else:
        raise ValueError(f"unknown key kind {kind}")
    return key.export(private_key=True)


def load_key(path, public):
    from jwcrypto import jwk

    key = jwk.JWK(**json.loads(read(path)))
    if public and key.has_private and key["kty"] != "oct":
        return jwk.JWK(**key.export_public(as_dict=True))
    return key


def encrypt(alg, enc, keyfile, plaintext_hex):
    from jwcrypto import jwe

    token = jwe.JWE(bytes.fromhex(plaintext_hex), protected=json.dumps({"alg": alg, "enc": enc}))
    token.allowed_algs = ALL_ALGS
    token.add_recipient(load_key(keyfile, True))
    return token.serialize(compact=True)


def decrypt(keyfile, text):
    from jwcrypto import jwe

    token = jwe.JWE()
    token.allowed_algs = ALL_ALGS
    token.deserialize(text, key=load_key(keyfile, False))
    return token.payload.hex()


def run(argv):
    """One command: (exit code, standard output, standard error)."""
    try:
        if len(argv) == 2 and argv[0] == "keygen":
            return 0, keygen(argv[1]) + "\n", ""
        if len(argv) == 5 and argv[0] == "encrypt":
            return 0, encrypt(*argv[1:]) + "\n", ""
        if len(argv) == 3 and argv[0] == "decrypt":
            try:
                return 0, decrypt(argv[1], argv[2]) + "\n", ""
            except ImportError:
                raise
            except Exception as error:  # every library failure is an answer: the token did not decrypt
                return 1, f"invalid: {type(error).__name__}: {error}\n", ""
    except ImportError as error:
        return 2, "", f"cannot import: {error}\n"
    except Exception as error:
        return 2, "", f"cannot {argv[0]}: {type(error).__name__}: {error}\n"
    return 2, "", __doc__


def serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        code, out, err = run(json.loads(line))
        sys.stdout.write(json.dumps({"exit": code, "out": out, "err": err}) + "\n")
        sys.stdout.flush()
    return 0


def main(argv):
    if argv == ["serve"]:
        return serve()
    code, out, err = run(argv)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
