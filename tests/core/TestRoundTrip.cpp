#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Jwk.h"

#include <QTest>
#include <map>

using namespace jwti;

namespace {

const SecretBytes kPassphrase(QByteArrayView("round trip passphrase"));

enum class Form {
    Generated,
    PrivatePem,
    EncryptedPrivatePem,
    PrivateDer,
    PrivateJwk,
    PublicPem,
    PublicDer,
    PublicJwk,
    PublicJwks,
    SecretHex,
    SecretBase64,
};

struct FormInfo
{
    Form form;
    const char* name;
    bool isPrivate;
    bool forSecrets;
    bool forKeyPairs;
};

constexpr FormInfo kForms[] = {
    {Form::Generated, "generated", true, true, true},
    {Form::PrivatePem, "PKCS#8 PEM", true, false, true},
    {Form::EncryptedPrivatePem, "encrypted PKCS#8 PEM", true, false, true},
    {Form::PrivateDer, "PKCS#8 DER", true, false, true},
    {Form::PrivateJwk, "private JWK", true, true, true},
    {Form::PublicPem, "SPKI PEM", false, false, true},
    {Form::PublicDer, "SPKI DER", false, false, true},
    {Form::PublicJwk, "public JWK", false, false, true},
    {Form::PublicJwks, "JWKS", false, false, true},
    {Form::SecretHex, "hex secret", true, true, false},
    {Form::SecretBase64, "base64 secret", true, true, false},
};

Result<Key> single(Result<std::vector<Key>> keys)
{
    if (!keys)
        return Result<Key>(keys.error());
    if (keys->size() != 1)
        return Result<Key>::failure(ErrorCode::KeyAmbiguous, QStringLiteral("expected one key"));
    return keys->front();
}

// The key after a trip through one exported form and back.
Result<Key> throughForm(const Key& key, Form form)
{
    switch (form) {
    case Form::Generated:
        return key;
    case Form::PrivatePem: {
        auto pem = exportPrivatePem(key);
        if (!pem)
            return Result<Key>(pem.error());
        return single(importKeys(*pem));
    }
    case Form::EncryptedPrivatePem: {
        auto pem = exportPrivatePem(key, kPassphrase);
        if (!pem)
            return Result<Key>(pem.error());
        if (!pem->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            return Result<Key>::failure(ErrorCode::Crypto, QStringLiteral("not encrypted"));
        return single(importKeys(*pem, kPassphrase));
    }
    case Form::PrivateDer: {
        auto der = exportPrivateDer(key);
        if (!der)
            return Result<Key>(der.error());
        return single(importKeys(der->view()));
    }
    case Form::PrivateJwk:
        return single(importKeys(exportJwk(key, true)));
    case Form::PublicPem:
        return single(importKeys(exportPublicPem(key)));
    case Form::PublicDer:
        return single(importKeys(exportPublicDer(key)));
    case Form::PublicJwk:
        return importJwk(exportJwk(key, false));
    case Form::PublicJwks:
        return single(importJwks(exportJwks({key})));
    case Form::SecretHex:
        return importSecret(key.secret().view().toByteArray().toHex(), SecretEncoding::Hex);
    case Form::SecretBase64:
        return importSecret(key.secret().view().toByteArray().toBase64(), SecretEncoding::Base64);
    }
    return Result<Key>::failure(ErrorCode::Usage, QStringLiteral("unknown form"));
}

} // namespace

class TestRoundTrip : public QObject
{
    Q_OBJECT

    std::map<QString, Key> m_keys;

    const Key& keyFor(const AlgInfo& alg)
    {
        auto spec = keySpecForAlg(alg);
        const QString id = QStringLiteral("%1/%2/%3").arg(int(spec->type)).arg(spec->bits).arg(spec->curve);
        auto found = m_keys.find(id);
        if (found == m_keys.end()) {
            auto key = generateKey(*spec);
            if (!key)
                qFatal("generation failed: %s", qPrintable(key.message()));
            found = m_keys.emplace(id, *key).first;
        }
        return found->second;
    }

private slots:
    void everyAlgSurvivesEveryKeyForm_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<int>("form");
        QTest::addColumn<bool>("isPrivate");
        for (const AlgInfo& alg : allAlgs()) {
            if (alg.scheme == SignatureScheme::None)
                continue;
            const bool secret = alg.scheme == SignatureScheme::Hmac;
            for (const FormInfo& form : kForms) {
                if (secret ? !form.forSecrets : !form.forKeyPairs)
                    continue;
                QTest::addRow("%s %s", alg.name, form.name) << alg.displayName() << int(form.form) << form.isPrivate;
            }
        }
    }

    void everyAlgSurvivesEveryKeyForm()
    {
        QFETCH(QString, alg);
        QFETCH(int, form);
        QFETCH(bool, isPrivate);
        const AlgInfo& info = *findAlg(alg);
        const Key& original = keyFor(info);
        auto copy = throughForm(original, Form(form));
        QVERIFY2(copy.ok(), qPrintable(copy.ok() ? QString() : copy.message()));
        QCOMPARE(copy->hasPrivate(), isPrivate);
        QCOMPARE(copy->description(), isPrivate ? original.description() : original.publicOnly().description());
        QCOMPARE(thumbprint(*copy), thumbprint(original));

        const QByteArray input = "header." + alg.toLatin1();
        // The copy signs when it can, and the original checks it; otherwise the original signs for the copy.
        const Key& signer = isPrivate ? *copy : original;
        const Key& verifier = isPrivate ? original : *copy;
        auto signature = signBytes(info, signer, input);
        QVERIFY2(signature.ok(), qPrintable(signature.ok() ? QString() : signature.message()));
        auto verified = verifyBytes(info, verifier, input, *signature);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.message()));
        QCOMPARE(verifyBytes(info, verifier, input + '!', *signature).code(), ErrorCode::SignatureInvalid);
    }

    void encryptedPkcs8NeedsTheSamePassphrase()
    {
        const Key& key = keyFor(*findAlg(u"ES384"));
        auto pem = exportPrivatePem(key, kPassphrase);
        QVERIFY(pem.ok());
        QVERIFY(pem->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QVERIFY(*pem != *exportPrivatePem(key)); // the body is encrypted, not the plain PKCS#8
        QCOMPARE(importKeys(*pem).code(), ErrorCode::PassphraseRequired);
        QCOMPARE(importKeys(*pem, SecretBytes(QByteArrayView("wrong"))).code(), ErrorCode::PassphraseWrong);
        auto back = importKeys(*pem, kPassphrase);
        QVERIFY(back.ok());
        QCOMPARE(thumbprint(back->front()), thumbprint(key));
    }
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "TestRoundTrip.moc"
