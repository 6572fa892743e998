#pragma once

// RAII owners for the OpenSSL objects crypto/ uses, and the one place that turns OpenSSL's error queue into text.
// Private to app/core/crypto: nothing outside crypto/ may include OpenSSL headers.

#include "core/jose/Algorithms.h"

#include <QString>
#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

namespace jwti::ossl {

template <auto FreeFunction>
struct Deleter
{
    template <typename T>
    void operator()(T* pointer) const
    {
        FreeFunction(pointer);
    }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
// For BIGNUMs that hold private values: zeroed before they are freed.
using SecretBnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, Deleter<X509_SIG_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, Deleter<OSSL_DECODER_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;

// The reasons queued by OpenSSL since the last call, joined, and the queue emptied so that no stale error leaks
// into a later call. Falls back to fallback when the queue is empty.
QString drainErrors(const QString& fallback = QString());
inline void clearErrors()
{
    // Peeking is cheaper than clearing every slot of an empty queue, and every verify of a batch clears it twice.
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

// The bytes a memory BIO holds.
QByteArray bioBytes(BIO* bio);

// Our PEM passphrase callback: answers with the SecretBytes passed as userdata, or fails. OpenSSL's default callback
// would prompt on the terminal; a GUI app and a script must never block there.
int passphraseCallback(char* buffer, int size, int rwflag, void* userdata);

// The OpenSSL group name for a JOSE curve name, or nullptr.
const char* groupNameForCurve(QStringView curve);
// The JOSE curve name for an OpenSSL group name ("prime256v1" → "P-256"); the group name itself when unknown.
QString curveForGroupName(const char* groupName);
// Bytes of one coordinate (and of r and s): 32, 48, 66; 0 when unknown.
int fieldBytesForCurve(QStringView curve);

// The digest for a JWS hash, fetched once per process; nullptr for Digest::None.
const EVP_MD* digestMd(Digest digest);

} // namespace jwti::ossl
