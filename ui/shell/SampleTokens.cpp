#include "shell/SampleTokens.h"

#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"

#include <QCoreApplication>
#include <QMutex>
#include <map>

namespace jwti {

namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "SampleTokens", for every string here.
struct SampleTokensText
{
    Q_DECLARE_TR_FUNCTIONS(SampleTokens)
};

// Keys are made once per kind and reused: an RSA key takes a while, and a sample needs no fresh one each time.
Result<Key> cachedKey(const KeySpec& spec)
{
    static QMutex mutex;
    static std::map<QString, Key> keys;
    const QString id = QStringLiteral("%1/%2/%3").arg(int(spec.type)).arg(spec.bits).arg(spec.curve);
    {
        QMutexLocker lock(&mutex);
        if (auto it = keys.find(id); it != keys.end())
            return it->second;
    }
    Result<Key> key = generateKey(spec);
    if (key.ok()) {
        QMutexLocker lock(&mutex);
        keys.emplace(id, key.value());
    }
    return key;
}

QByteArray samplePayload(qint64 now, qint64 expiresIn)
{
    return QByteArrayLiteral("{\"sub\":\"1234567890\",\"name\":\"Jane Doe\",\"iss\":\"https://issuer.example\","
                             "\"aud\":\"jwt-inspector-demo\",\"iat\":")
        + QByteArray::number(now) + QByteArrayLiteral(",\"exp\":") + QByteArray::number(now + expiresIn) + '}';
}

SampleToken makeSigned(const QString& name, const AlgInfo& alg, qint64 now, qint64 expiresIn)
{
    SampleToken sample;
    sample.name = name;
    Key key;
    if (alg.scheme == SignatureScheme::Hmac) {
        const QString secret = SampleTokens::sampleSecret(alg.minKeyBits / 8);
        Result<Key> imported = importSecret(secret.toUtf8(), SecretEncoding::Text);
        if (!imported.ok()) {
            sample.error = imported.message();
            return sample;
        }
        key = imported.value();
        sample.usesSecret = true;
        sample.keyText = secret;
    } else {
        const Result<KeySpec> spec = keySpecForAlg(alg);
        if (!spec.ok()) {
            sample.error = spec.message();
            return sample;
        }
        Result<Key> generated = cachedKey(spec.value());
        if (!generated.ok()) {
            sample.error = generated.message();
            return sample;
        }
        key = generated.value();
        sample.keyText = QString::fromLatin1(exportPublicPem(key));
    }
    SignOptions options;
    options.alg = alg.displayName();
    options.kid = QStringLiteral("sample-%1").arg(alg.displayName().toLower());
    const Result<QByteArray> token = signToken(samplePayload(now, expiresIn), key, options);
    if (!token.ok()) {
        sample.error = token.message();
        return sample;
    }
    sample.token = QString::fromLatin1(token.value());
    return sample;
}

} // namespace

QStringList SampleTokens::names()
{
    QStringList names;
    for (const AlgInfo& alg : allAlgs()) {
        if (alg.scheme != SignatureScheme::None)
            names << alg.displayName();
    }
    names << QStringLiteral("none") << QStringLiteral("expired") << QStringLiteral("malformed");
    return names;
}

QString SampleTokens::sampleSecret(int bytes)
{
    const QString phrase = QStringLiteral("jwt-inspector sample secret, never use it for real tokens! ");
    QString secret;
    while (secret.size() < bytes)
        secret += phrase;
    return secret.left(bytes);
}

SampleToken SampleTokens::make(const QString& name, qint64 now)
{
    if (name == QLatin1String("none")) {
        // RFC 7519 §6.1: an unsecured JWT has an empty signature part.
        SampleToken sample;
        sample.name = name;
        sample.token = QString::fromLatin1(Base64Url::encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + '.'
                                           + Base64Url::encode(samplePayload(now, 3600)) + '.');
        return sample;
    }
    if (name == QLatin1String("expired")) {
        SampleToken sample = makeSigned(name, *findAlg(u"HS256"), now - 3 * 24 * 3600, 3600);
        return sample;
    }
    if (name == QLatin1String("malformed")) {
        SampleToken sample = makeSigned(name, *findAlg(u"HS256"), now, 3600);
        if (sample.token.isEmpty())
            return sample;
        // A character no base64url alphabet has, in the middle of the payload, and the paste noise of a header.
        const qsizetype firstDot = sample.token.indexOf(QLatin1Char('.'));
        sample.token[firstDot + 12] = QLatin1Char('*');
        sample.token.prepend(QStringLiteral("Bearer "));
        return sample;
    }
    const AlgInfo* alg = findAlg(name);
    if (!alg) {
        SampleToken sample;
        sample.name = name;
        sample.error = SampleTokensText::tr("No such sample.");
        return sample;
    }
    return makeSigned(name, *alg, now, 3600);
}

} // namespace jwti
