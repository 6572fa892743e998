#pragma once

#include "core/crypto/SecretBytes.h"
#include "core/jose/Result.h"

#include <QObject>
#include <QString>
#include <chrono>
#include <functional>

namespace jwti {

// Why a keychain call failed, for the words the UI and the command line show and for tests.
enum class KeychainProblem { Locked, Denied, NoService, NotFound, TimedOut, Other };

// The stable one-line messages: "the keychain is locked", "no Secret Service is running (…)", …
QString keychainProblemMessage(KeychainProblem problem);
// The problem named by an error this client returned (Other for anything it did not make).
KeychainProblem keychainProblemOf(const Error& error);

// Asynchronous calls into the OS keychain through QtKeychain. Every call returns at once; done runs later on the
// thread of context, unless context is destroyed first. Jobs live on the heap and delete themselves when they
// finish; a job that does not finish within the timeout is answered as TimedOut and abandoned, never deleted while
// pending (QtKeychain may still call back into it). The insecure plaintext fallback is always off.
class KeychainClient
{
public:
    static QString defaultServiceName() { return QStringLiteral("jwt-inspector"); }
    // The QtKeychain this was built with (its CMake package version; the header's own macro is not kept current).
    static QString libraryVersion();

    void setServiceName(const QString& service) { m_service = service; }
    const QString& serviceName() const { return m_service; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Stores secret as binary data under entry, replacing what was there.
    void write(const QString& entry, const SecretBytes& secret, QObject* context,
               std::function<void(Result<void>)> done) const;
    // NotFound is told apart from a locked keychain (a Secret Service hides the items of a locked collection).
    void read(const QString& entry, QObject* context, std::function<void(Result<SecretBytes>)> done) const;
    // A missing entry is not an error. A locked keychain is: the Secret Service would report success while
    // leaving the item in place.
    void remove(const QString& entry, QObject* context, std::function<void(Result<void>)> done) const;

private:
    QString m_service = defaultServiceName();
    std::chrono::milliseconds m_timeout = std::chrono::seconds(60);
};

} // namespace jwti
