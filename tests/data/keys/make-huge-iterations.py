#!/usr/bin/env python3
"""Writes rsa2048-pkcs8-encrypted-huge-iterations.{der,pem}: rsa2048-pkcs8-encrypted.der with its PBKDF2 iteration
count re-encoded as 2^31-1, so that importing it must be refused before any key derivation runs (run after
make-fixtures.sh)."""
import base64
import os
import textwrap

os.chdir(os.path.dirname(os.path.abspath(__file__)))


def parse(b, i):
    tag, length, j = b[i], b[i + 1], i + 2
    if length & 0x80:
        n = length & 0x7F
        length, j = int.from_bytes(b[j:j + n], "big"), j + n
    return tag, b[j:j + length], j + length


def tree(b):
    out, i = [], 0
    while i < len(b):
        tag, value, i = parse(b, i)
        out.append([tag, tree(value) if tag & 0x20 else value])
    return out


def encode_length(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s


def emit(nodes):
    out = b""
    for tag, value in nodes:
        body = emit(value) if tag & 0x20 else value
        out += bytes([tag]) + encode_length(len(body)) + body
    return out


der = open("rsa2048-pkcs8-encrypted.der", "rb").read()
root = tree(der)
# EncryptedPrivateKeyInfo / AlgorithmIdentifier / PBES2-params / keyDerivationFunc / PBKDF2-params / iterationCount
pbkdf2_params = root[0][1][0][1][1][1][0][1][1][1]
pbkdf2_params[1][1] = (2**31 - 1).to_bytes(4, "big")
patched = emit(root)
open("rsa2048-pkcs8-encrypted-huge-iterations.der", "wb").write(patched)
body = "\n".join(textwrap.wrap(base64.b64encode(patched).decode(), 64))
with open("rsa2048-pkcs8-encrypted-huge-iterations.pem", "w") as pem:
    pem.write("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n")
