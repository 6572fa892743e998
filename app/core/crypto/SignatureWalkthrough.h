#pragma once

// "How the signature is made", step by step, for one token and one key: every intermediate value of the check,
// computed here so that a teaching view can show it, and the step where the check fails with the reason.
// Public values only: an HMAC secret never appears in a step (its inner and outer hashes do, which reveal nothing
// of it beyond what the tag itself does).

#include "core/crypto/Key.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Result.h"
#include "core/jose/Token.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>
#include <vector>

namespace jwti {

// A labelled part of a step's value (a field of the RSA padded block, r or s of an ECDSA signature, …).
struct WalkField
{
    QString label; // "block type", "padding (FF × 202)", "DigestInfo prefix", "salt"
    QByteArray value;
    OffsetRange within; // where value sits in the step's value; empty when it is not a slice of it
    QString valueText; // hex, or a readable form (a decimal integer, an OID with its name)
    std::optional<bool> matches; // whether the field is what it must be; nullopt when there is nothing to check
    QString note; // what it must be and why
};

struct WalkStep
{
    QString id; // stable: "signing-input", "hash", "key", "signature-length", "hmac-inner", "hmac-tag",
                // "tag-compare", "rsa-public", "pkcs1-padding", "hash-compare", "pss-layout", "pss-mgf1",
                // "pss-db", "pss-salt", "pss-m-prime", "ecdsa-rs", "ecdsa-der", "ecdsa-check", "eddsa-rs", "verify"
    QString title;
    QString explanation; // what is computed and why, citing the RFC section
    QByteArray value; // the step's result; empty when it has none to show
    QString valueText; // hex, or text for the signing input
    std::optional<bool> passed; // nullopt for a step that only computes
    QString failure; // why it failed, when passed is false
    std::vector<WalkField> fields;
    // The value (and the fields' values) are secret: a JWE's CEK, ECDH shared secret or derived key. A view shows
    // them only when asked, and never copies them anywhere.
    bool secret = false;
};

struct SignatureWalkthrough
{
    QString alg;
    SignatureScheme scheme = SignatureScheme::None;
    std::vector<WalkStep> steps;
    bool verified = false; // always what verifyBytes answers for the same alg, key, input and signature
    int failedStep = -1; // index into steps of the first step that failed
    QString failureReason;
};

// For the token's first signature: its header's alg, its signing input (RFC 7515 §5.1) and its signature bytes.
SignatureWalkthrough walkThroughSignature(const Token& token, const Key& key);

SignatureWalkthrough walkThroughSignature(const AlgInfo& alg, const Key& key, QByteArrayView signingInput,
                                          QByteArrayView signature);

} // namespace jwti
