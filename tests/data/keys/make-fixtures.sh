#!/bin/sh
# Regenerates the key fixtures used by tests/core/TestKeys.cpp with the openssl command line (OpenSSL 3).
# Test-only keys: they protect nothing. The passphrase of the encrypted ones is "correct horse".
set -eu
cd "$(dirname "$0")"
PASS="pass:correct horse"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-pkcs8.pem
openssl pkey -in rsa2048-pkcs8.pem -traditional -out rsa2048-pkcs1.pem
openssl pkey -in rsa2048-pkcs8.pem -pubout -out rsa2048-spki.pem
openssl rsa -in rsa2048-pkcs8.pem -RSAPublicKey_out -out rsa2048-pkcs1-public.pem
openssl pkcs8 -topk8 -in rsa2048-pkcs8.pem -v2 aes-256-cbc -v2prf hmacWithSHA256 -passout "$PASS" -out rsa2048-pkcs8-encrypted.pem
openssl rsa -in rsa2048-pkcs8.pem -traditional -aes256 -passout "$PASS" -out rsa2048-pkcs1-encrypted.pem
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs8.pem -outform DER -out rsa2048-pkcs8.der
openssl rsa -in rsa2048-pkcs8.pem -traditional -outform DER -out rsa2048-pkcs1.der
openssl pkey -in rsa2048-pkcs8.pem -pubout -outform DER -out rsa2048-spki.der
openssl rsa -in rsa2048-pkcs8.pem -RSAPublicKey_out -outform DER -out rsa2048-pkcs1-public.der
openssl pkcs8 -topk8 -in rsa2048-pkcs8.pem -v2 aes-256-cbc -passout "$PASS" -outform DER -out rsa2048-pkcs8-encrypted.der
openssl req -x509 -new -key rsa2048-pkcs8.pem -subj "/CN=jwti test/O=JWT Inspector" -days 3650 -out rsa2048-cert.pem
openssl x509 -in rsa2048-cert.pem -outform DER -out rsa2048-cert.der

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024-pkcs8.pem

openssl ecparam -name prime256v1 -genkey -out ec-p256-sec1.pem
openssl pkey -in ec-p256-sec1.pem -out ec-p256-pkcs8.pem
openssl pkey -in ec-p256-sec1.pem -pubout -out ec-p256-spki.pem
openssl ec -in ec-p256-sec1.pem -outform DER -out ec-p256-sec1.der
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp224r1 -out ec-p224-pkcs8.pem

openssl genpkey -algorithm ED25519 -out ed25519-pkcs8.pem
openssl pkey -in ed25519-pkcs8.pem -pubout -out ed25519-spki.pem
openssl genpkey -algorithm ED448 -out ed448-pkcs8.pem
openssl genpkey -algorithm X25519 -out x25519-pkcs8.pem

cat rsa2048-cert.pem ec-p256-spki.pem ed25519-spki.pem > bundle-three-blocks.pem

# The same encrypted key with an absurd PBKDF2 iteration count (must be refused before deriving).
python3 make-huge-iterations.py
