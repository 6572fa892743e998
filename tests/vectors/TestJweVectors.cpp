// JWE known answers: RFC 7516 Appendix A, RFC 7518 Appendix C, RFC 8037 Appendix A.6 (rfc/*.authored.json) and the
// RFC 7520 §5 examples (cookbook/5_*.json) under JWTI_VECTORS_DIR/jwe. Every example decrypts to its plaintext
// exactly; every invalid one is refused without plaintext; where the example fixes the CEK, IV and ephemeral key,
// encrypting again gives the same bytes.
#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyComponents.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwk.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <map>

using namespace jwti;

namespace {

// QVERIFY2 builds its message even when the check passes: only a failed Result has one.
template <typename T>
QString why(const Result<T>& result)
{
    return result ? QString() : errorCodeName(result.code()) + QStringLiteral(": ") + result.message();
}

QString vectorsDir()
{
    return qEnvironmentVariable("JWTI_VECTORS_DIR") + QStringLiteral("/jwe");
}

QJsonObject readObject(const QString& relative)
{
    QFile file(vectorsDir() + QLatin1Char('/') + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonArray readTests(const QString& relative)
{
    return readObject(relative).value(QLatin1String("tests")).toArray();
}

QByteArray compactJson(const QJsonValue& value)
{
    if (value.isString())
        return value.toString().toUtf8();
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

std::optional<Key> jwkKey(const QJsonValue& jwk)
{
    auto key = importJwk(compactJson(jwk));
    if (!key) {
        qWarning("%s", qPrintable(why(key)));
        return std::nullopt;
    }
    return *key;
}

QByteArray b64u(const QJsonValue& value)
{
    return QByteArray::fromBase64(value.toString().toLatin1(), QByteArray::Base64UrlEncoding);
}

QByteArray hex(const QJsonValue& value)
{
    return QByteArray::fromHex(value.toString().toLatin1());
}

QString str(const QJsonObject& object, const char* name)
{
    return object.value(QLatin1String(name)).toString();
}

QByteArray plaintextOf(const QJsonObject& test)
{
    if (test.contains(QLatin1String("plaintextHex")))
        return hex(test.value(QLatin1String("plaintextHex")));
    return str(test, "plaintext").toUtf8();
}

// The serialized token a test gives: compact text or a JSON object.
QByteArray tokenOf(const QJsonObject& test)
{
    if (test.contains(QLatin1String("compact")))
        return str(test, "compact").toUtf8();
    return compactJson(test.value(QLatin1String("json")));
}

std::vector<Key> keysOf(const QJsonObject& test)
{
    std::vector<Key> keys;
    if (test.contains(QLatin1String("keys"))) {
        for (const QJsonValue jwk : test.value(QLatin1String("keys")).toArray()) {
            if (auto key = jwkKey(jwk))
                keys.push_back(*key);
        }
    } else if (auto key = jwkKey(test.value(QLatin1String("key")))) {
        keys.push_back(*key);
    }
    return keys;
}

// Passed checks per JWE alg, printed at the end (the per-algorithm counts).
std::map<QString, int>& passedPerAlg()
{
    static std::map<QString, int> counts;
    return counts;
}

void countPass(const QString& alg)
{
    ++passedPerAlg()[alg];
}

QString algOf(const QJsonObject& test)
{
    const QJsonValue alg = test.value(QLatin1String("alg"));
    if (alg.isArray()) {
        QStringList names;
        for (const QJsonValue name : alg.toArray())
            names << name.toString();
        return names.join(QLatin1Char('+'));
    }
    return alg.toString();
}

} // namespace

class TestJweVectors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!readTests(QStringLiteral("rfc/rfc7516-appendix-a.authored.json")).isEmpty(),
                 "jwe/rfc/rfc7516-appendix-a.authored.json not found under JWTI_VECTORS_DIR");
        QVERIFY(QDir(vectorsDir() + QStringLiteral("/cookbook")).exists());
    }

    void decryptsRfcCases_data()
    {
        QTest::addColumn<QJsonObject>("test");
        for (const char* file : {"rfc/rfc7516-appendix-a.authored.json", "rfc/rfc7518-appendix-c.authored.json",
                                 "rfc/rfc8037-appendix-a6.authored.json"}) {
            for (const QJsonValue value : readTests(QLatin1String(file))) {
                const QJsonObject test = value.toObject();
                const QString kind = str(test, "kind");
                if (kind.isEmpty() || kind == QLatin1String("jwe-compact"))
                    QTest::newRow(qPrintable(str(test, "id"))) << test;
            }
        }
    }

    // Each key alone must open it (A.4 has one per recipient); an invalid case never yields plaintext.
    void decryptsRfcCases()
    {
        QFETCH(QJsonObject, test);
        const std::vector<Key> keys = keysOf(test);
        QVERIFY(!keys.empty());
        const bool valid = str(test, "expected") == QLatin1String("valid");
        auto jwe = parseJwe(tokenOf(test));
        if (!valid && !jwe) {
            countPass(algOf(test));
            return;
        }
        QVERIFY2(jwe, qPrintable(why(jwe)));
        for (const Key& key : keys) {
            auto decrypted = decryptJwe(*jwe, {key});
            if (valid) {
                QVERIFY2(decrypted, qPrintable(why(decrypted)));
                QCOMPARE(decrypted->plaintext, plaintextOf(test));
            } else {
                QVERIFY2(!decrypted, "an invalid example decrypted");
                QVERIFY(decrypted.code() == ErrorCode::DecryptionFailed || decrypted.code() == ErrorCode::KeyInvalid);
            }
        }
        countPass(algOf(test));
    }

    void reEncryptsRfcCases_data()
    {
        QTest::addColumn<QJsonObject>("test");
        QTest::addColumn<QJsonObject>("agreement");
        for (const char* file : {"rfc/rfc7516-appendix-a.authored.json", "rfc/rfc7518-appendix-c.authored.json",
                                 "rfc/rfc8037-appendix-a6.authored.json"}) {
            QJsonObject agreement;
            for (const QJsonValue value : readTests(QLatin1String(file))) {
                const QJsonObject test = value.toObject();
                if (test.contains(QLatin1String("ephemeralKey")) || test.contains(QLatin1String("ephemeralSecretHex")))
                    agreement = test;
                if (test.contains(QLatin1String("reproducible")))
                    QTest::newRow(qPrintable(str(test, "id"))) << test << agreement;
            }
        }
    }

    // "content": the ciphertext and tag from the CEK and IV; "all": the whole token (or, for the JSON forms, every
    // part) byte for byte.
    void reEncryptsRfcCases()
    {
        QFETCH(QJsonObject, test);
        QFETCH(QJsonObject, agreement);
        const QByteArray plaintext = plaintextOf(test);
        const SecretBytes cek(hex(test.value(QLatin1String("cekHex"))));
        const EncInfo* enc = findEnc(str(test, "enc"));
        QVERIFY(enc);
        const bool all = str(test, "reproducible") == QLatin1String("all");
        auto jwe = parseJwe(tokenOf(test));
        QVERIFY2(jwe, qPrintable(why(jwe)));

        auto sealed = sealContent(*enc, cek, jwe->iv, jwe->additionalData(), plaintext);
        QVERIFY2(sealed, qPrintable(why(sealed)));
        QCOMPARE(sealed->ciphertext, jwe->ciphertext);
        QCOMPARE(sealed->tag, jwe->tag);
        if (!all) {
            countPass(algOf(test));
            return;
        }

        const std::vector<Key> keys = keysOf(test);
        QCOMPARE(keys.size(), size_t(1));
        JweEncryptOptions options;
        options.iv = jwe->iv;
        if (jwe->serialization != JweSerialization::Compact) {
            // A.5: the alg is in the unprotected header, so the key wrap is checked on its own.
            auto wrapped = aesKeyWrap(keys.front().secret(), cek);
            QVERIFY(wrapped);
            QCOMPARE(*wrapped, jwe->recipients.front().encryptedKey);
            countPass(algOf(test));
            return;
        }
        options.protectedEncoded = jwe->protectedEncoded;
        const KeyManagementInfo* alg = findKeyManagement(algOf(test));
        QVERIFY(alg);
        if (alg->mode != KeyManagementMode::EcdhEs)
            options.cek = cek;
        if (alg->isEcdh()) {
            if (agreement.contains(QLatin1String("ephemeralKey"))) {
                auto ephemeral = jwkKey(agreement.value(QLatin1String("ephemeralKey")));
                QVERIFY(ephemeral);
                options.ephemeralKey = *ephemeral;
            } else {
                OkpComponents components;
                components.curve = QStringLiteral("X25519");
                components.x = hex(agreement.value(QLatin1String("ephemeralPublicHex")));
                components.d = SecretBytes(hex(agreement.value(QLatin1String("ephemeralSecretHex"))));
                auto ephemeral = makeOkpKey(components);
                QVERIFY2(ephemeral, qPrintable(why(ephemeral)));
                options.ephemeralKey = *ephemeral;
            }
        }
        const Key recipient = alg->isEcdh() ? keys.front().publicOnly() : keys.front();
        auto token = encryptJwe(plaintext, recipient, options);
        QVERIFY2(token, qPrintable(why(token)));
        QCOMPARE(*token, str(test, "compact").toUtf8());
        countPass(algOf(test));
    }

    // RFC 7518 Appendix C and RFC 8037 A.6: Z, OtherInfo and the derived key, step by step.
    void derivesTheAgreedKeys()
    {
        const QJsonObject c = readTests(QStringLiteral("rfc/rfc7518-appendix-c.authored.json")).first().toObject();
        QCOMPARE(str(c, "kind"), QStringLiteral("ecdh-es-derivation"));
        auto alice = jwkKey(c.value(QLatin1String("ephemeralKey")));
        auto bob = jwkKey(c.value(QLatin1String("recipientKey")));
        QVERIFY(alice && bob);
        auto z = ecdhSharedSecret(*bob, alice->publicOnly());
        QVERIFY2(z, qPrintable(why(z)));
        QCOMPARE(z->view().toByteArray(), hex(c.value(QLatin1String("zHex"))));
        auto zOther = ecdhSharedSecret(*alice, bob->publicOnly());
        QVERIFY(zOther);
        QVERIFY(zOther->equals(z->view()));
        const QByteArray otherInfo = concatKdfOtherInfo("A128GCM", "Alice", "Bob", 16);
        QCOMPARE(otherInfo, hex(c.value(QLatin1String("otherInfoHex"))));
        auto derived = concatKdf(*z, otherInfo, 16);
        QVERIFY(derived);
        QCOMPARE(derived->view().toByteArray(), hex(c.value(QLatin1String("derivedKeyHex"))));
        countPass(QStringLiteral("ECDH-ES"));

        const QJsonObject a6 = readTests(QStringLiteral("rfc/rfc8037-appendix-a6.authored.json")).first().toObject();
        QCOMPARE(str(a6, "kind"), QStringLiteral("x25519-agreement"));
        OkpComponents recipientParts;
        recipientParts.curve = QStringLiteral("X25519");
        recipientParts.x = hex(a6.value(QLatin1String("recipientPublicHex")));
        recipientParts.d = SecretBytes(hex(a6.value(QLatin1String("recipientPrivateHex"))));
        auto recipient = makeOkpKey(recipientParts);
        QVERIFY2(recipient, qPrintable(why(recipient)));
        auto epk = jwkKey(a6.value(QLatin1String("epk")));
        QVERIFY(epk);
        QCOMPARE(epk->curve(), QStringLiteral("X25519"));
        auto z25519 = ecdhSharedSecret(*recipient, *epk);
        QVERIFY2(z25519, qPrintable(why(z25519)));
        QCOMPARE(z25519->view().toByteArray(), hex(a6.value(QLatin1String("zHex"))));
        countPass(QStringLiteral("ECDH-ES (X25519)"));
    }

    void decryptsCookbookExamples_data()
    {
        QTest::addColumn<QJsonObject>("example");
        QTest::addColumn<QString>("serialization");
        const QStringList files
            = QDir(vectorsDir() + QStringLiteral("/cookbook")).entryList({QStringLiteral("5_*.json")}, QDir::Files);
        QCOMPARE(files.size(), 5);
        for (const QString& file : files) {
            const QJsonObject example = readObject(QStringLiteral("cookbook/") + file);
            for (const char* form : {"compact", "json", "json_flat"})
                QTest::newRow(qPrintable(file.left(3) + QLatin1Char(' ') + QLatin1String(form)))
                    << example << QString::fromLatin1(form);
        }
    }

    void decryptsCookbookExamples()
    {
        QFETCH(QJsonObject, example);
        QFETCH(QString, serialization);
        const QJsonObject input = example.value(QLatin1String("input")).toObject();
        const QJsonObject output = example.value(QLatin1String("output")).toObject();
        Key key;
        if (input.contains(QLatin1String("pwd"))) {
            key = Key::fromSecret(SecretBytes(str(input, "pwd").toUtf8()));
        } else {
            auto jwk = jwkKey(input.value(QLatin1String("key")));
            QVERIFY(jwk);
            key = *jwk;
        }
        auto jwe = parseJwe(compactJson(output.value(serialization)));
        QVERIFY2(jwe, qPrintable(why(jwe)));
        auto decrypted = decryptJwe(*jwe, {key});
        QVERIFY2(decrypted, qPrintable(why(decrypted)));
        QCOMPARE(decrypted->plaintext, str(input, "plaintext").toUtf8());
        QCOMPARE(decrypted->alg, str(input, "alg"));
        countPass(str(input, "alg"));
    }

    void reEncryptsCookbookExamples_data()
    {
        QTest::addColumn<QJsonObject>("example");
        const QStringList files
            = QDir(vectorsDir() + QStringLiteral("/cookbook")).entryList({QStringLiteral("5_*.json")}, QDir::Files);
        for (const QString& file : files)
            QTest::newRow(qPrintable(file.left(3))) << readObject(QStringLiteral("cookbook/") + file);
    }

    void reEncryptsCookbookExamples()
    {
        QFETCH(QJsonObject, example);
        const QJsonObject input = example.value(QLatin1String("input")).toObject();
        const QJsonObject generated = example.value(QLatin1String("generated")).toObject();
        const QJsonObject content = example.value(QLatin1String("encrypting_content")).toObject();
        const QByteArray plaintext = str(input, "plaintext").toUtf8();
        const QByteArray iv = b64u(generated.value(QLatin1String("iv")));
        const QByteArray protectedEncoded = str(content, "protected_b64u").toLatin1();
        const EncInfo* enc = findEnc(str(input, "enc"));
        QVERIFY(enc);
        Key key;
        if (input.contains(QLatin1String("pwd"))) {
            key = Key::fromSecret(SecretBytes(str(input, "pwd").toUtf8()));
        } else {
            auto jwk = jwkKey(input.value(QLatin1String("key")));
            QVERIFY(jwk);
            key = *jwk;
        }
        // 5.6 (dir) has no generated CEK: the key is the CEK.
        const SecretBytes cek = generated.contains(QLatin1String("cek"))
            ? SecretBytes(b64u(generated.value(QLatin1String("cek"))))
            : key.secret();

        auto sealed = sealContent(*enc, cek, iv, protectedEncoded, plaintext);
        QVERIFY2(sealed, qPrintable(why(sealed)));
        QCOMPARE(Base64Url::encode(sealed->ciphertext), str(content, "ciphertext").toLatin1());
        QCOMPARE(Base64Url::encode(sealed->tag), str(content, "tag").toLatin1());

        if (example.value(QLatin1String("reproducible")).toBool() && str(input, "alg") != QLatin1String("RSA1_5")) {
            JweEncryptOptions options;
            options.protectedEncoded = protectedEncoded;
            options.iv = iv;
            options.cek = cek;
            auto token = encryptJwe(plaintext, key, options);
            QVERIFY2(token, qPrintable(why(token)));
            QCOMPARE(*token, str(example.value(QLatin1String("output")).toObject(), "compact").toLatin1());
        }
        countPass(str(input, "alg"));
    }

    void cleanupTestCase()
    {
        QStringList lines;
        for (const auto& [alg, count] : passedPerAlg())
            lines << QStringLiteral("%1: %2").arg(alg).arg(count);
        qInfo("JWE vector checks passed per alg: %s", qPrintable(lines.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(TestJweVectors)
#include "TestJweVectors.moc"
