#pragma once

// Helpers shared by the keychain and key-manager tests: waiting for an asynchronous store call, generating a key,
// reading the keychain with secret-tool, and scanning folders for leaked key material.

#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "keystore/KeyStore.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <optional>

namespace keystoretest {

// Lets the event loop run until the call answers (tests only: the window never waits like this).
template <typename T, typename Start>
jwti::Result<T> await(Start start, int timeoutMs = 60000)
{
    std::optional<jwti::Result<T>> answer;
    QObject context;
    start(&context, [&](jwti::Result<T> result) { answer.emplace(std::move(result)); });
    const QDeadlineTimer deadline(timeoutMs);
    while (!answer && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!answer)
        return jwti::Error{jwti::ErrorCode::Keychain, QStringLiteral("the test gave up waiting")};
    return std::move(*answer);
}

inline jwti::Key generate(const QString& algName, int bits = 0)
{
    const jwti::AlgInfo* alg = jwti::findAlg(algName);
    if (!alg)
        return {};
    auto spec = jwti::keySpecForAlg(*alg, bits);
    if (!spec)
        return {};
    auto key = jwti::generateKey(*spec);
    return key ? *key : jwti::Key();
}

// The keychain's copy of entry "key/<id>" as QtKeychain stored it (base64 of the bytes), via secret-tool.
inline QByteArray secretToolLookup(const QString& id, const QString& service = QStringLiteral("jwt-inspector"))
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("key/") + id, QStringLiteral("server"),
                service, QStringLiteral("type"), QStringLiteral("base64")});
    if (!tool.waitForFinished(30000) || tool.exitCode() != 0)
        return {};
    return QByteArray::fromBase64(tool.readAllStandardOutput().trimmed());
}

// The files under folders (recursively) that contain any of needles.
inline QStringList filesContaining(const QStringList& folders, const QList<QByteArray>& needles)
{
    QStringList hits;
    for (const QString& folder : folders) {
        QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QByteArray content = file.readAll();
            for (const QByteArray& needle : needles) {
                if (!needle.isEmpty() && content.contains(needle)) {
                    hits << path;
                    break;
                }
            }
        }
    }
    return hits;
}

} // namespace keystoretest
