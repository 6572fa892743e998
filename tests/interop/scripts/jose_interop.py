#!/usr/bin/env python3
"""Signs and verifies JWS compact tokens with PyJWT or jwcrypto, for tests/interop/TestInterop.cpp.

Usage:
  jose_interop.py sign   LIB ALG KEYFILE PAYLOAD_JSON   -> prints the token
  jose_interop.py verify LIB ALG KEYFILE TOKEN          -> prints "valid" (exit 0) or "invalid: REASON" (exit 1)
  jose_interop.py supports LIB ALG                      -> exit 0 when LIB can do ALG here, else 1

LIB is "pyjwt" or "jwcrypto". KEYFILE is a PEM file (private for sign, public for verify) or, for HMAC, an "oct"
JWK. Exit 2 on a usage or environment error.
"""
import base64
import json
import sys


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def hmac_secret(path):
    return b64url_decode(json.loads(read(path))["k"])


def pyjwt_sign(alg, keyfile, payload):
    import jwt

    key = hmac_secret(keyfile) if alg.startswith("HS") else read(keyfile)
    # PyJWT re-serialises the payload dict; the claims are what matter for interop.
    return jwt.encode(json.loads(payload), key, algorithm=alg)


def pyjwt_verify(alg, keyfile, token):
    import jwt

    key = hmac_secret(keyfile) if alg.startswith("HS") else read(keyfile)
    jwt.decode(token, key, algorithms=[alg], options={"verify_aud": False})


def jwcrypto_key(alg, keyfile):
    from jwcrypto import jwk

    if alg.startswith("HS"):
        return jwk.JWK(**json.loads(read(keyfile)))
    return jwk.JWK.from_pem(read(keyfile))


def jwcrypto_sign(alg, keyfile, payload):
    from jwcrypto import jws

    token = jws.JWS(payload.encode("utf-8"))
    token.allowed_algs = [alg]
    token.add_signature(jwcrypto_key(alg, keyfile), alg=alg, protected=json.dumps({"alg": alg, "typ": "JWT"}))
    return token.serialize(compact=True)


def jwcrypto_verify(alg, keyfile, token):
    from jwcrypto import jws

    parsed = jws.JWS()
    parsed.allowed_algs = [alg]
    parsed.deserialize(token)
    parsed.verify(jwcrypto_key(alg, keyfile), alg=alg)


def supports(lib, alg):
    if lib == "pyjwt":
        import jwt

        return alg in jwt.algorithms.get_default_algorithms()
    if lib == "jwcrypto":
        from jwcrypto import jws

        return alg in jws.default_allowed_algs
    return False


def main(argv):
    if len(argv) == 3 and argv[0] == "supports":
        try:
            return 0 if supports(argv[1], argv[2]) else 1
        except ImportError as error:
            print(f"cannot import: {error}", file=sys.stderr)
            return 2
    if len(argv) != 5 or argv[0] not in ("sign", "verify") or argv[1] not in ("pyjwt", "jwcrypto"):
        print(__doc__, file=sys.stderr)
        return 2
    command, lib, alg, keyfile, text = argv
    try:
        if command == "sign":
            signer = pyjwt_sign if lib == "pyjwt" else jwcrypto_sign
            print(signer(alg, keyfile, text))
            return 0
        verifier = pyjwt_verify if lib == "pyjwt" else jwcrypto_verify
        verifier(alg, keyfile, text)
        print("valid")
        return 0
    except ImportError as error:
        print(f"cannot import: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # every library failure is an answer: the token did not verify
        if command == "sign":
            print(f"cannot sign: {type(error).__name__}: {error}", file=sys.stderr)
            return 2
        print(f"invalid: {type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
